package monthly

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/posture-dev/posture/internal/evidence"
	"github.com/posture-dev/posture/internal/gitrepo"
)

// history makes a real repository whose main branch has one commit per
// step, each writing its files with its message at its time.
func history(t *testing.T, steps []step) (string, []plumbing.Hash) {
	t.Helper()
	dir := t.TempDir()
	repo, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{InitOptions: git.InitOptions{DefaultBranch: plumbing.Main}})
	if err != nil {
		t.Fatal(err)
	}
	wt, _ := repo.Worktree()
	var hashes []plumbing.Hash
	for _, s := range steps {
		for p, data := range s.files {
			full := filepath.Join(dir, filepath.FromSlash(p))
			os.MkdirAll(filepath.Dir(full), 0o755)
			if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := wt.Add(p); err != nil {
				t.Fatal(err)
			}
		}
		sig := &object.Signature{Name: "GitHub", Email: "noreply@github.com", When: s.when}
		h, err := wt.Commit(s.msg, &git.CommitOptions{Author: sig, Committer: sig})
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, h)
	}
	return dir, hashes
}

type step struct {
	msg   string
	when  time.Time
	files map[string]string
}

func day(d int) time.Time { return time.Date(2026, 12, d, 10, 0, 0, 0, time.UTC) }

func TestLinks(t *testing.T) {
	ev := evidence.Evidence{PullRequest: 15, Reports: []string{"reports/2026-12/d-b.yaml"}, Version: "test"}
	dir, hashes := history(t, []step{
		{"seed", time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC), map[string]string{"reports/2026-11/d-a.yaml": "a: 1\n"}},
		{"Merge pull request #12 from acme/posture/issue-7\n\nReport d-a", day(3), map[string]string{"reports/2026-12/d-a.yaml": "a: 1\n"}},
		{ev.Message("Report d-b", ""), day(4), map[string]string{"reports/2026-12/d-b.yaml": "b: 1\n"}},
		{"Report d-c (#17)", day(5), map[string]string{"reports/2026-12/d-c.yaml": "c: 1\n", "reports/2026-12/evidence/c.txt": "scan\n"}},
		{"fix a typo", day(6), map[string]string{"reports/2026-12/d-a.yaml": "a: 2\n"}},
	})
	repo, err := gitrepo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer repo.Close()
	head, err := repo.Resolve("main")
	if err != nil {
		t.Fatal(err)
	}
	links, err := Links(repo, head, "2026-12", day(1))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"reports/2026-12/d-a.yaml": {"#12", hashes[4].String()[:12]},
		"reports/2026-12/d-b.yaml": {"#15"},
		"reports/2026-12/d-c.yaml": {"#17"},
	}
	if len(links) != len(want) {
		t.Errorf("links = %v", links)
	}
	for p, refs := range want {
		if !slices.Equal(links[p], refs) {
			t.Errorf("%s: %v, want %v", p, links[p], refs)
		}
	}
	// The walk stops at the first commit older than since.
	links, err = Links(repo, head, "2026-12", day(5))
	if err != nil || len(links) != 2 || !slices.Equal(links["reports/2026-12/d-a.yaml"], []string{hashes[4].String()[:12]}) {
		t.Errorf("since the 5th: %v, %v", links, err)
	}
}

package check

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// testRepo is a real Git repository in a temporary folder, seeded with
// testdata/ok and the repository's policies and schemas on branch main.
type testRepo struct {
	t    testing.TB
	dir  string
	repo *git.Repository
	wt   *git.Worktree
}

func newTestRepo(t *testing.T, when time.Time) *testRepo {
	t.Helper()
	r := initRepo(t, t.TempDir())
	r.copyTree("../../testdata/ok", "")
	r.copyTree("../../policies", "policies")
	r.copyTree("../../schemas", "schemas")
	r.commit("seed", when)
	return r
}

// initRepo makes dir a repository whose first branch is main.
func initRepo(t testing.TB, dir string) *testRepo {
	t.Helper()
	repo, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName("main")},
	})
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	return &testRepo{t: t, dir: dir, repo: repo, wt: wt}
}

func (r *testRepo) copyTree(from, to string) {
	r.t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if strings.HasPrefix(rel, "exceptions") && to == "policies" {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		r.write(filepath.ToSlash(filepath.Join(to, rel)), string(data))
		return nil
	})
	if err != nil {
		r.t.Fatal(err)
	}
}

func (r *testRepo) write(p, data string) {
	r.t.Helper()
	full := filepath.Join(r.dir, filepath.FromSlash(p))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

func (r *testRepo) read(p string) string {
	r.t.Helper()
	data, err := os.ReadFile(filepath.Join(r.dir, filepath.FromSlash(p)))
	if err != nil {
		r.t.Fatal(err)
	}
	return string(data)
}

// edit replaces old with new in file p, failing when old is absent.
func (r *testRepo) edit(p, old, new string) {
	r.t.Helper()
	s := r.read(p)
	if !strings.Contains(s, old) {
		r.t.Fatalf("%s does not contain %q", p, old)
	}
	r.write(p, strings.Replace(s, old, new, 1))
}

func (r *testRepo) remove(p string) {
	r.t.Helper()
	if _, err := r.wt.Remove(p); err != nil {
		r.t.Fatal(err)
	}
}

func (r *testRepo) symlink(target, p string) {
	r.t.Helper()
	if err := os.Symlink(target, filepath.Join(r.dir, filepath.FromSlash(p))); err != nil {
		r.t.Fatal(err)
	}
}

func (r *testRepo) commit(msg string, when time.Time) plumbing.Hash {
	r.t.Helper()
	if err := r.wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
		r.t.Fatal(err)
	}
	sig := &object.Signature{Name: "Test", Email: "test@example.com", When: when}
	h, err := r.wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig, AllowEmptyCommits: true})
	if err != nil {
		r.t.Fatal(err)
	}
	return h
}

func (r *testRepo) branch(name string) {
	r.t.Helper()
	err := r.wt.Checkout(&git.CheckoutOptions{Branch: plumbing.NewBranchReferenceName(name), Create: true})
	if err != nil {
		r.t.Fatal(err)
	}
}

func (r *testRepo) checkout(name string) {
	r.t.Helper()
	if err := r.wt.Checkout(&git.CheckoutOptions{Branch: plumbing.NewBranchReferenceName(name)}); err != nil {
		r.t.Fatal(err)
	}
}

// newReport writes a clean report for device id with the given MAC, based
// on d-win's report without its evidence.
func (r *testRepo) newReport(id, mac string) {
	r.t.Helper()
	s := strings.ReplaceAll(r.read(winReport), "d-win", id)
	if i, j := strings.Index(s, "evidence:"), strings.Index(s, "concerns:"); i >= 0 && j > i {
		s = s[:i] + s[j:]
	}
	r.write("reports/2026-11/"+id+".yaml", strings.Replace(s, "3C-22-FB-12-34-56", mac, 1))
}

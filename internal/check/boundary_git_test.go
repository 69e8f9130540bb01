package check

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/posture-dev/posture/internal/policy"
	"github.com/posture-dev/posture/internal/record"
)

// commitMerge commits the work tree with the given parents.
func (r *testRepo) commitMerge(msg string, when time.Time, parents ...plumbing.Hash) plumbing.Hash {
	r.t.Helper()
	if err := r.WT.AddWithOptions(&git.AddOptions{All: true}); err != nil {
		r.t.Fatal(err)
	}
	sig := &object.Signature{Name: "Test", Email: "test@example.com", When: when}
	h, err := r.WT.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig, Parents: parents, AllowEmptyCommits: true})
	if err != nil {
		r.t.Fatal(err)
	}
	return h
}

// TestBoundaryCrissCross builds the history the issue describes: the branch
// merged a commit of main that main also merged the branch over, and the
// branch's merge quietly reverts an IT change to people/. The diff from the
// merge base posture picked used to show nothing of it; now the pull
// request is refused until it is rebased.
func TestBoundaryCrissCross(t *testing.T) {
	r := newTestRepo(t, seedTime)
	c0, _ := r.Repo.Head()
	// B1: the employee's own report edit, on the branch.
	r.Checkout("pr", true)
	ownEdit(r)
	b1 := r.Commit("my report", seedTime.Add(2*time.Hour))
	// M1: IT deactivates a contractor on main.
	r.Checkout("main", false)
	r.Edit("people/c1.yaml", "active: true", "active: false")
	m1 := r.Commit("deactivate c1", seedTime.Add(time.Hour))
	// M2: main merges B1 (as an accepted pull request would).
	ownEdit(r)
	r.commitMerge("merge B1", seedTime.Add(3*time.Hour), m1, b1)
	// B2: the branch merges M1 but keeps the old people/c1.yaml.
	r.Checkout("pr", false)
	r.commitMerge("merge main", seedTime.Add(4*time.Hour), b1, m1)
	_ = c0

	res, err := Diff(context.Background(), DiffOptions{Dir: r.Dir, Base: "main", Head: "pr", Author: "eita-e", Now: prNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Rule != ruleMergeBase || !strings.Contains(res.Findings[0].Message, "Rebase your branch on main") {
		t.Fatalf("findings = %v, want only %s asking for a rebase", res.Findings, ruleMergeBase)
	}
}

// forgeHead commits, as branch pr on top of main, main's tree with entries
// added to its root, stored as given (Git's own tools would refuse them).
func forgeHead(t *testing.T, r *testRepo, extra ...object.TreeEntry) {
	t.Helper()
	head, err := r.Repo.Reference(plumbing.NewBranchReferenceName("main"), true)
	if err != nil {
		t.Fatal(err)
	}
	c, err := r.Repo.CommitObject(head.Hash())
	if err != nil {
		t.Fatal(err)
	}
	root, err := c.Tree()
	if err != nil {
		t.Fatal(err)
	}
	entries := append(slices.Clone(root.Entries), extra...)
	slices.SortStableFunc(entries, func(a, b object.TreeEntry) int { return strings.Compare(sortName(a), sortName(b)) })
	tree := &object.Tree{Entries: entries}
	store := func(v interface {
		Encode(plumbing.EncodedObject) error
	}) plumbing.Hash {
		o := r.Repo.Storer.NewEncodedObject()
		if err := v.Encode(o); err != nil {
			t.Fatal(err)
		}
		h, err := r.Repo.Storer.SetEncodedObject(o)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	sig := object.Signature{Name: "Test", Email: "test@example.com", When: prTime}
	h := store(&object.Commit{Author: sig, Committer: sig, Message: "forged", TreeHash: store(tree), ParentHashes: []plumbing.Hash{c.Hash}})
	if err := r.Repo.Storer.SetReference(plumbing.NewHashReference(plumbing.NewBranchReferenceName("pr"), h)); err != nil {
		t.Fatal(err)
	}
}

func sortName(e object.TreeEntry) string {
	if e.Mode == filemode.Dir {
		return e.Name + "/"
	}
	return e.Name
}

// TestBoundaryForgedTrees checks that trees Git refuses are findings on the
// pull request, not a failure of posture.
func TestBoundaryForgedTrees(t *testing.T) {
	tests := []struct {
		name  string
		entry func(main *object.Tree) object.TreeEntry
		path  string
	}{
		{name: "a .git folder in any case", path: ".GIT", entry: func(main *object.Tree) object.TreeEntry {
			e, _ := main.FindEntry("people")
			return object.TreeEntry{Name: ".GIT", Mode: filemode.Dir, Hash: e.Hash}
		}},
		{name: "an NTFS spelling of .git", path: ".git. ", entry: func(main *object.Tree) object.TreeEntry {
			e, _ := main.FindEntry("people")
			return object.TreeEntry{Name: ".git. ", Mode: filemode.Dir, Hash: e.Hash}
		}},
		{name: "a folder that stands twice", path: "reports", entry: func(main *object.Tree) object.TreeEntry {
			e, _ := main.FindEntry("people") // a second reports/ holding people's files
			return object.TreeEntry{Name: "reports", Mode: filemode.Dir, Hash: e.Hash}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newTestRepo(t, seedTime)
			head, _ := r.Repo.Head()
			c, _ := r.Repo.CommitObject(head.Hash())
			root, _ := c.Tree()
			forgeHead(t, r, tt.entry(root))
			res, err := Diff(context.Background(), DiffOptions{Dir: r.Dir, Base: "main", Head: "pr", Author: "eita-e", Now: prNow})
			if err != nil {
				t.Fatalf("Diff failed instead of refusing: %v", err)
			}
			if len(res.Findings) != 1 || res.Findings[0].Rule != ruleTree || res.Findings[0].File != tt.path {
				t.Fatalf("findings = %v, want one %s at %q", res.Findings, ruleTree, tt.path)
			}
		})
	}
}

// TestBoundaryFailsClosed checks that a trusted file on the base that cannot
// be read stops the check, naming it, instead of a fallback or a silent gap.
func TestBoundaryFailsClosed(t *testing.T) {
	tests := []struct {
		name   string
		breakB func(r *testRepo)
		want   string
	}{
		{name: "policy data that is a link", want: "policies/" + policy.ConfigFile, breakB: func(r *testRepo) {
			r.Remove("policies/" + policy.ConfigFile)
			r.Symlink("../../schemas/person.schema.json", "policies/"+policy.ConfigFile)
		}},
		{name: "policies without their data", want: policy.ConfigFile, breakB: func(r *testRepo) { r.Remove("policies/" + policy.ConfigFile) }},
		{name: "a person the check needs is broken", want: "people/e2.yaml", breakB: func(r *testRepo) {
			r.Edit("people/e2.yaml", "role: employee", "role: [employee")
		}},
		{name: "a device the check needs is a link", want: "devices/d-win.yaml", breakB: func(r *testRepo) {
			r.Remove("devices/d-win.yaml")
			r.Symlink("d-phone.yaml", "devices/d-win.yaml")
		}},
		{name: "broken settings", want: "posture.yaml", breakB: func(r *testRepo) { r.Write("posture.yaml", "timezone: Mars/Olympus\n") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newTestRepo(t, seedTime)
			tt.breakB(r)
			r.Commit("break the base", seedTime)
			r.Checkout("pr", true)
			ownEdit(r)
			r.Commit("change", prTime)
			res, err := Diff(context.Background(), DiffOptions{Dir: r.Dir, Base: "main", Head: "pr", Author: "eita-e", Now: prNow})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Diff = %v, %v; want an error naming %s", res, err, tt.want)
			}
		})
	}
}

// countingFS counts the reads of each file.
type countingFS struct {
	fs.FS
	mu    sync.Mutex
	reads map[string]int
}

func (c *countingFS) Open(name string) (fs.File, error) {
	c.mu.Lock()
	c.reads[name]++
	c.mu.Unlock()
	return c.FS.Open(name)
}

// TestEvidenceReadOnceAndBounded checks that a file cited many times is
// read once, and that a list over the schema's bound reads nothing.
func TestEvidenceReadOnceAndBounded(t *testing.T) {
	const ev = "reports/2026-11/evidence/scan.txt"
	cfs := &countingFS{FS: fstest.MapFS{ev: {Data: []byte("clean\n")}}, reads: map[string]int{}}
	list := func(n int) string {
		var b strings.Builder
		b.WriteString("evidence:\n")
		for range n {
			fmt.Fprintf(&b, "  - path: evidence/scan.txt\n    sha256: %s\n", sha("clean\n"))
		}
		return b.String()
	}
	d := newDigests(cfs)
	for _, dev := range []string{"a", "b"} {
		rec, fs_ := record.Parse("reports/2026-11/"+dev+".yaml", record.Report, []byte(list(maxEvidenceItems)))
		if rec == nil {
			t.Fatal(fs_)
		}
		if got := d.check(rec); len(got) > 0 {
			t.Fatalf("findings %v", got)
		}
	}
	if cfs.reads[ev] != 2 { // once to stat it, once to read it
		t.Errorf("opened %s %d times for %d citations, want twice (stat, read)", ev, cfs.reads[ev], 2*maxEvidenceItems)
	}
	cfs.reads = map[string]int{}
	rec, _ := record.Parse("reports/2026-11/c.yaml", record.Report, []byte(list(maxEvidenceItems+1)))
	newDigests(cfs).check(rec)
	if len(cfs.reads) > 0 {
		t.Errorf("a list over the schema's bound read %v", cfs.reads)
	}
}

// TestLocalRulesAloneAreNotIgnored: a tree with only policies/local/ rules
// (no data file) is refused rather than checked by the built-in rules with
// its own rules left out.
func TestLocalRulesAloneAreNotIgnored(t *testing.T) {
	r := initRepo(t, t.TempDir())
	r.copyTree("../../testdata/ok", "")
	r.Write("policies/local/extra.rego", "package posture.rules.extra\n")
	if _, err := Full(context.Background(), Options{Dir: r.Dir, Now: prNow}); err == nil || !strings.Contains(err.Error(), "data") {
		t.Fatalf("Full = %v; want an error that the policies' data file is missing", err)
	}
}

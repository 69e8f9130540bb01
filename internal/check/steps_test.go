package check

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/posture-dev/posture/internal/gitrepo"
)

// TestStepsRoundTrip keeps steps in a cache folder, reads them back in a
// second run, and reads nothing back that another walk (other prefixes,
// another posture) kept, or that is spoilt.
func TestStepsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	commit := plumbing.NewHash("0123456789abcdef0123456789abcdef01234567")
	merge := plumbing.NewHash("89abcdef0123456789abcdef0123456789abcdef")
	origin := plumbing.NewHash("fedcba9876543210fedcba9876543210fedcba98")
	blob := func(s string) gitrepo.Entry {
		return gitrepo.Entry{Hash: plumbing.ComputeHash(plumbing.BlobObject, []byte(s)), Mode: filemode.Regular}
	}
	changes := []gitrepo.Change{
		{Path: "reports/2026-11/d 1.yaml", Action: gitrepo.Added, To: blob("a")},
		{Path: "reports/2026-11/d\n2.yaml", Action: gitrepo.Modified, From: blob("b"), To: gitrepo.Entry{Hash: blob("c").Hash, Mode: filemode.Executable}},
		{Path: "reports/2026-11/d3.yaml", Action: gitrepo.Deleted, From: blob("d")},
	}
	when := time.Date(2026, 11, 3, 9, 30, 0, 0, time.FixedZone("", 3600))
	info := gitrepo.CommitInfo{Hash: origin, Parents: []plumbing.Hash{commit, merge},
		Author:    object.Signature{Name: "Ana <Díaz>", Email: "ana@example.com", When: when},
		Committer: object.Signature{Name: "GitHub", Email: "noreply@github.com", When: when.Add(time.Hour).UTC()},
		Message:   "Report for 2026-11\n\nPosture-Evidence: reports/2026-11/evidence/a.png\n", Signed: true}
	origins := map[string]gitrepo.CommitInfo{changes[0].Path: info, changes[1].Path: {Hash: merge,
		Author: object.Signature{Name: "B", Email: "b@x", When: when}, Committer: object.Signature{Name: "B", Email: "b@x", When: when}}}

	// own is a commit's own information as the walk gives it.
	own := func(h plumbing.Hash, parents ...plumbing.Hash) gitrepo.CommitInfo {
		return gitrepo.CommitInfo{Hash: h, Parents: parents, Author: info.Author, Committer: info.Committer, Message: "m\n"}
	}
	root := gitrepo.Step{CommitInfo: own(commit), Changes: changes[2:]}
	mergeStep := gitrepo.Step{CommitInfo: own(merge, commit, origin), Changes: changes, Origins: origins}
	mergeStep.Signed = true

	c, err := OpenCache(dir, "v1", 0)
	if err != nil {
		t.Fatal(err)
	}
	s := c.Steps("reports/", "people/")
	s.KeepStep(root)
	s.KeepStep(mergeStep)
	withNUL := maps.Clone(origins)
	withNUL["x"] = gitrepo.CommitInfo{Hash: origin, Message: "a\x00b", Author: info.Author, Committer: info.Committer}
	s.KeepStep(gitrepo.Step{CommitInfo: own(origin, commit), Origins: withNUL})
	ownNUL := own(blob("e").Hash, commit)
	ownNUL.Message = "a\x00b"
	s.KeepStep(gitrepo.Step{CommitInfo: ownNUL})
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	c, err = OpenCache(dir, "v1", 0)
	if err != nil {
		t.Fatal(err)
	}
	s = c.Steps("reports/", "people/")
	if st, ok := s.Step(merge); !ok || !sameStep(st, mergeStep) {
		t.Errorf("merge: got %v %v", st, ok)
	}
	if st, _ := s.Step(merge); st.Origins[changes[1].Path].Parents != nil {
		t.Errorf("a root commit's parents read back as %#v, not nil as go-git reads them", st.Origins[changes[1].Path].Parents)
	}
	if st, ok := s.Step(commit); !ok || !sameStep(st, root) || st.Parents != nil || st.Origins != nil {
		t.Errorf("commit: got %v %v", st, ok)
	}
	if _, ok := s.Step(origin); ok {
		t.Error("a step with a NUL byte in an origin's message was kept")
	}
	if _, ok := s.Step(ownNUL.Hash); ok {
		t.Error("a step with a NUL byte in its commit's message was kept")
	}
	if _, ok := c.Steps("reports/").Step(merge); ok {
		t.Error("a walk over other prefixes found the step")
	}
	c.Close()
	if c, err = OpenCache(dir, "v2", 0); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Steps("reports/", "people/").Step(merge); ok {
		t.Error("another posture version found the step")
	}
	c.Close()
}

// sameStep compares steps as the audit reads them (see sameOrigins).
func sameStep(a, b gitrepo.Step) bool {
	return reflect.DeepEqual(a.Changes, b.Changes) && sameOrigins(a.Origins, b.Origins) &&
		sameOrigins(map[string]gitrepo.CommitInfo{"": a.CommitInfo}, map[string]gitrepo.CommitInfo{"": b.CommitInfo})
}

// sameOrigins compares origins as the audit reads them: the signatures by
// their text and instant, since each decoding makes a zone of its own.
func sameOrigins(a, b map[string]gitrepo.CommitInfo) bool {
	if len(a) != len(b) {
		return false
	}
	sig := func(s object.Signature) string {
		var w strings.Builder
		_ = s.Encode(&w)
		return w.String()
	}
	for p, x := range a {
		y, ok := b[p]
		if !ok || x.Hash != y.Hash || !slices.Equal(x.Parents, y.Parents) || x.Message != y.Message || x.Signed != y.Signed ||
			sig(x.Author) != sig(y.Author) || sig(x.Committer) != sig(y.Committer) ||
			!x.Author.When.Equal(y.Author.When) || !x.Committer.When.Equal(y.Committer.When) {
			return false
		}
	}
	return true
}

// TestStepsSpoilt reads kept values that are not what KeepStep writes: each
// is a miss.
func TestStepsSpoilt(t *testing.T) {
	commit := plumbing.NewHash("0123456789abcdef0123456789abcdef01234567")
	h := commit.String()
	// read keeps v as the step of commit in a cache folder, and reads it
	// back in a second run (a value is found by the runs after its own).
	read := func(v string) (gitrepo.Step, bool) {
		dir := t.TempDir()
		c, err := OpenCache(dir, "v1", 0)
		if err != nil {
			t.Fatal(err)
		}
		c.store.Put(c.Steps("reports/").(*stepStore).key(commit), []byte(v))
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		if c, err = OpenCache(dir, "v1", 0); err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		return c.Steps("reports/").Step(commit)
	}
	// ci is a commit's fields: its hash, no parents, author, committer,
	// not signed, a message.
	ci := func(h string) string {
		return h + "\x000\x00B <b@x> 1767225600 +0100\x00B <b@x> 1767225600 +0100\x00false\x00msg\x00"
	}
	own := "step3\x00" + ci(h)
	for _, v := range []string{
		"",
		"step3\x00" + h + "\x00",
		own + "0\x000",                     // no final NUL
		"step2\x00" + h + "\x000\x000\x00", // an older format
		"step3\x00" + ci("89abcdef0123456789abcdef0123456789abcdef") + "0\x000\x00",                                     // another commit
		"step3\x00" + h + "\x000\x00B <b@x>\x00B <b@x> 1767225600 +0100\x00false\x00msg\x000\x000\x00",                  // its author without a time
		"step3\x00" + h + "\x001\x00B <b@x> 1767225600 +0100\x00B <b@x> 1767225600 +0100\x00false\x00msg\x000\x000\x00", // its parent missing
		own + "1\x000\x00", // a change missing
		own + "1\x004\x000\x00" + h + "\x00100644\x00" + h + "\x00p\x000\x00",      // action 4
		own + "1\x001\x009\x00" + h + "\x00100644\x00" + h + "\x00p\x000\x00",      // mode not octal
		own + "1\x001\x000\x00" + h[:39] + "\x00100644\x00" + h + "\x00p\x000\x00", // short hash
		own + "1\x001\x000\x00" + h + "\x00100644\x00" + h + "\x00\x000\x00",       // no path
		own + "0\x001\x00p\x00", // an origin without its commit
		own + "0\x00-1\x00",
		own + "0\x001\x00p\x00" + h + "\x000\x00B <b@x> 1767225600 +0100\x00B <b@x> 1767225600 +0100\x00yes\x00msg\x00",                // signed neither true nor false
		own + "0\x001\x00p\x00" + h + "\x000\x00B <b@x>\x00B <b@x> 1767225600 +0100\x00false\x00msg\x00",                               // an author without a time
		own + "0\x001\x00p\x00" + h + "\x002\x00" + h + "\x00B <b@x> 1767225600 +0100\x00B <b@x> 1767225600 +0100\x00false\x00msg\x00", // a parent missing
		own + "0\x000\x00extra\x00",
	} {
		if st, ok := read(v); ok {
			t.Errorf("%q read as %v", v, st)
		}
	}
	if _, ok := read(own + "1\x001\x000\x00" + h + "\x00100644\x00" + h + "\x00p\x000\x00"); !ok {
		t.Error("a well-formed value like them was not read")
	}
	if st, ok := read(own + "0\x001\x00p\x00" + h + "\x001\x00" + h + "\x00B <b@x> 1767225600 +0100\x00B <b@x> 1767225600 +0100\x00false\x00msg\x00"); !ok || st.Origins["p"].Author.When.Unix() != 1767225600 || st.Committer.When.Unix() != 1767225600 {
		t.Errorf("a well-formed origin was not read: %v", st)
	}
}

package check

import (
	"reflect"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
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
	origins := map[string]plumbing.Hash{changes[0].Path: origin, changes[1].Path: origin}

	c, err := OpenCache(dir, "v1", 0)
	if err != nil {
		t.Fatal(err)
	}
	s := c.Steps("reports/", "people/")
	s.KeepStep(commit, changes[2:], nil)
	s.KeepStep(merge, changes, origins)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	c, err = OpenCache(dir, "v1", 0)
	if err != nil {
		t.Fatal(err)
	}
	s = c.Steps("reports/", "people/")
	if ch, o, ok := s.Step(merge); !ok || !reflect.DeepEqual(ch, changes) || !reflect.DeepEqual(o, origins) {
		t.Errorf("merge: got %v %v %v", ch, o, ok)
	}
	if ch, o, ok := s.Step(commit); !ok || !reflect.DeepEqual(ch, changes[2:]) || o != nil {
		t.Errorf("commit: got %v %v %v", ch, o, ok)
	}
	if _, _, ok := s.Step(origin); ok {
		t.Error("a commit never kept was found")
	}
	if _, _, ok := c.Steps("reports/").Step(merge); ok {
		t.Error("a walk over other prefixes found the step")
	}
	c.Close()
	if c, err = OpenCache(dir, "v2", 0); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := c.Steps("reports/", "people/").Step(merge); ok {
		t.Error("another posture version found the step")
	}
	c.Close()
}

// TestStepsSpoilt reads kept values that are not what KeepStep writes: each
// is a miss.
func TestStepsSpoilt(t *testing.T) {
	commit := plumbing.NewHash("0123456789abcdef0123456789abcdef01234567")
	h := commit.String()
	// read keeps v as the step of commit in a cache folder, and reads it
	// back in a second run (a value is found by the runs after its own).
	read := func(v string) ([]gitrepo.Change, map[string]plumbing.Hash, bool) {
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
	for _, v := range []string{
		"",
		"step1\x00" + h + "\x00",
		"step1\x00" + h + "\x000\x000",     // no final NUL
		"step2\x00" + h + "\x000\x000\x00", // another format
		"step1\x00" + "89abcdef0123456789abcdef0123456789abcdef" + "\x000\x000\x00",                // another commit
		"step1\x00" + h + "\x001\x000\x00",                                                         // a change missing
		"step1\x00" + h + "\x001\x004\x000\x00" + h + "\x00100644\x00" + h + "\x00p\x000\x00",      // action 4
		"step1\x00" + h + "\x001\x001\x009\x00" + h + "\x00100644\x00" + h + "\x00p\x000\x00",      // mode not octal
		"step1\x00" + h + "\x001\x001\x000\x00" + h[:39] + "\x00100644\x00" + h + "\x00p\x000\x00", // short hash
		"step1\x00" + h + "\x001\x001\x000\x00" + h + "\x00100644\x00" + h + "\x00\x000\x00",       // no path
		"step1\x00" + h + "\x000\x001\x00p\x00",                                                    // an origin without its commit
		"step1\x00" + h + "\x000\x00-1\x00",
	} {
		if ch, o, ok := read(v); ok {
			t.Errorf("%q read as %v %v", v, ch, o)
		}
	}
	if _, _, ok := read("step1\x00" + h + "\x001\x001\x000\x00" + h + "\x00100644\x00" + h + "\x00p\x000\x00"); !ok {
		t.Error("a well-formed value like them was not read")
	}
}

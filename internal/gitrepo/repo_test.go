package gitrepo

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

func TestOpenFindsRepositoryFromSubfolder(t *testing.T) {
	b := newBuilder(t, false)
	b.write("people/ada.yaml", "name: Ada\n")
	b.ref("refs/heads/main", b.commit("first"))
	sub := filepath.Join(b.dir, "people", "deep")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	r, err := Open(sub)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Root() != b.dir {
		t.Errorf("Root() = %q, want %q", r.Root(), b.dir)
	}
	if _, err := r.Resolve("HEAD"); err != nil {
		t.Errorf("Resolve(HEAD): %v", err)
	}

	if _, err := Open(t.TempDir()); err == nil {
		t.Error("Open of a folder outside any repository succeeded")
	}
}

func TestOpenBare(t *testing.T) {
	b := newBuilder(t, true)
	b.write("a.txt", "a")
	b.ref("refs/heads/main", b.commit("first"))
	r := b.open()
	if r.Root() != "" {
		t.Errorf("Root() = %q for a bare repository, want \"\"", r.Root())
	}
	if _, err := r.Resolve("main"); err != nil {
		t.Errorf("Resolve(main): %v", err)
	}
}

func TestResolve(t *testing.T) {
	b := newBuilder(t, false)
	b.write("a.txt", "1")
	c1 := b.commit("one")
	b.write("a.txt", "2")
	c2 := b.commit("two", c1)
	side := b.fork()
	side.write("b.txt", "side")
	s1 := side.commit("side", c2)
	b.write("a.txt", "3")
	c3 := b.commit("three", c2)
	b.write("b.txt", "side")
	m := b.commit("merge", c3, s1)
	b.ref("refs/heads/main", m)
	b.ref("refs/heads/feature", s1)
	b.ref("refs/remotes/origin/main", c2)
	b.ref("refs/tags/v1", c1)
	sig := object.Signature{Name: "Test", Email: "test@example.com", When: epoch}
	tag := b.store(&object.Tag{Name: "v2", Tagger: sig, Message: "v2\n", TargetType: plumbing.CommitObject, Target: c3})
	b.ref("refs/tags/v2", tag)
	r := b.open()

	tests := []struct {
		name, rev string
		want      plumbing.Hash
	}{
		{"branch", "main", m},
		{"other branch", "feature", s1},
		{"full branch ref", "refs/heads/feature", s1},
		{"remote branch", "origin/main", c2},
		{"lightweight tag", "v1", c1},
		{"annotated tag", "v2", c3},
		{"full hash", c3.String(), c3},
		{"abbreviated hash", c3.String()[:8], c3},
		{"HEAD", "HEAD", m},
		{"first parent", "HEAD~1", c3},
		{"second parent", "HEAD^2", s1},
		{"grandparent", "HEAD~2", c2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := r.Resolve(tt.rev)
			if err != nil {
				t.Fatalf("Resolve(%q): %v", tt.rev, err)
			}
			if c.Hash != tt.want {
				t.Errorf("Resolve(%q) = %s, want %s", tt.rev, c.Hash, tt.want)
			}
		})
	}

	for _, rev := range []string{"nope", "origin/nope", "HEAD~9", "HEAD~1^2",
		strings.Repeat("d", 40), "deadbee", ""} {
		t.Run("missing "+rev, func(t *testing.T) {
			_, err := r.Resolve(rev)
			if !errors.Is(err, ErrNoCommit) {
				t.Fatalf("Resolve(%q) error = %v, want ErrNoCommit", rev, err)
			}
			want := `no commit "` + rev + `" in the repository; fetch it first`
			if err.Error() != want {
				t.Errorf("error = %q, want %q", err, want)
			}
		})
	}
}

func TestMergeBase(t *testing.T) {
	// main:    c1 - c2 - c3 ------ m - c5
	//                 \            /
	// feature:         s1 - s2 ---+--- s3
	b := newBuilder(t, false)
	b.write("a.txt", "1")
	c1 := b.commit("c1")
	b.write("a.txt", "2")
	c2 := b.commit("c2", c1)
	side := b.fork()
	side.write("b.txt", "1")
	s1 := side.commit("s1", c2)
	side.write("b.txt", "2")
	s2 := side.commit("s2", s1)
	b.write("a.txt", "3")
	c3 := b.commit("c3", c2)
	b.write("b.txt", "2")
	m := b.commit("merge", c3, s2)
	side.write("b.txt", "3")
	s3 := side.commit("s3", s2)
	b.write("a.txt", "5")
	c5 := b.commit("c5", m)

	other := newBuilder(t, false)
	other.st = b.st // an unrelated root in the same repository
	other.write("z.txt", "z")
	lone := other.commit("lone")
	b.ref("refs/heads/main", c5)
	b.ref("refs/heads/lone", lone)
	r := b.open()

	tests := []struct {
		name string
		a, b plumbing.Hash
		want plumbing.Hash
	}{
		{"diverged", c3, s2, c2},
		{"after merge", c5, s3, s2},
		{"ancestor", c5, c1, c1},
		{"same", c3, c3, c3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.MergeBase(commitObj(t, r, tt.a), commitObj(t, r, tt.b))
			if err != nil {
				t.Fatal(err)
			}
			if got.Hash != tt.want {
				t.Errorf("MergeBase = %s, want %s", got.Hash, tt.want)
			}
		})
	}
	if _, err := r.MergeBase(commitObj(t, r, c5), commitObj(t, r, lone)); err == nil {
		t.Error("MergeBase of unrelated histories succeeded")
	}
}

package gitrepo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

var subCommit = plumbing.NewHash("0123456789abcdef0123456789abcdef01234567")

// short renders changes as "action path" lines.
func short(cs []Change) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.Action.String()+" "+c.Path)
	}
	return out
}

func TestChanges(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(b *builder)
		prefixes []string
		want     []string
	}{
		{"nothing", func(*builder) {}, nil, []string{}},
		{"add", func(b *builder) { b.write("people/eve.yaml", "name: Eve\n") }, nil,
			[]string{"added people/eve.yaml"}},
		{"modify", func(b *builder) { b.write("people/ada.yaml", "name: Ada L\n") }, nil,
			[]string{"modified people/ada.yaml"}},
		{"delete", func(b *builder) { b.remove("README.md") }, nil, []string{"deleted README.md"}},
		{"executable bit", func(b *builder) {
			b.set("people/ada.yaml", filemode.Executable, b.blob("name: Ada\n"))
		}, nil, []string{"modified people/ada.yaml"}},
		{"file to symlink", func(b *builder) {
			b.set("people/ada.yaml", filemode.Symlink, b.blob("bob.yaml"))
		}, nil, []string{"modified people/ada.yaml"}},
		{"file to submodule", func(b *builder) {
			b.set("people/ada.yaml", filemode.Submodule, subCommit)
		}, nil, []string{"modified people/ada.yaml"}},
		{"new nested folders", func(b *builder) {
			b.write("reports/2026-02/a.yaml", "a")
			b.write("reports/2026-02/deep/b.yaml", "b")
		}, nil, []string{"added reports/2026-02/a.yaml", "added reports/2026-02/deep/b.yaml"}},
		{"folder deleted", func(b *builder) { b.remove("reports") }, nil,
			[]string{"deleted reports/2026-01/ada-laptop.yaml", "deleted reports/2026-01/bob-phone.yaml"}},
		{"file becomes folder", func(b *builder) { b.write("README.md/inner.md", "x") }, nil,
			[]string{"deleted README.md", "added README.md/inner.md"}},
		{"folder becomes file", func(b *builder) { b.write("people", "x") }, nil,
			[]string{"added people", "deleted people/ada.yaml", "deleted people/bob.yaml"}},
		{"protected path among others", func(b *builder) {
			b.write("policies/exceptions/ada.yaml", "until: 2027-01-01\n")
			b.write("reports/2026-01/ada-laptop.yaml", "changed")
		}, nil, []string{"added policies/exceptions/ada.yaml", "modified reports/2026-01/ada-laptop.yaml"}},
		{"prefix filter", func(b *builder) {
			b.write("policies/exceptions/ada.yaml", "until: 2027-01-01\n")
			b.write("reports/2026-01/ada-laptop.yaml", "changed")
			b.write("people/eve.yaml", "name: Eve\n")
		}, []string{"reports/", "people/"},
			[]string{"added people/eve.yaml", "modified reports/2026-01/ada-laptop.yaml"}},
		{"deep prefix", func(b *builder) {
			b.write("reports/2026-01/ada-laptop.yaml", "changed")
			b.write("reports/2026-02/x.yaml", "x")
		}, []string{"reports/2026-02/"}, []string{"added reports/2026-02/x.yaml"}},
		{"prefix matches nothing", func(b *builder) { b.write("people/eve.yaml", "x") }, []string{"devices/"},
			[]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBuilder(t, false)
			b.write("people/ada.yaml", "name: Ada\n")
			b.write("people/bob.yaml", "name: Bob\n")
			b.write("reports/2026-01/ada-laptop.yaml", "device: ada-laptop\n")
			b.write("reports/2026-01/bob-phone.yaml", "device: bob-phone\n")
			b.write("README.md", "# records\n")
			base := b.commit("base")
			tt.edit(b)
			head := b.commit("head", base)
			b.ref("refs/heads/main", head)
			r := b.open()
			got, err := r.Changes(commitObj(t, r, base), commitObj(t, r, head), tt.prefixes...)
			if err != nil {
				t.Fatal(err)
			}
			if s := short(got); !slices.Equal(s, tt.want) {
				t.Errorf("Changes = %q, want %q", s, tt.want)
			}
		})
	}
}

func TestChangesEntries(t *testing.T) {
	b := newBuilder(t, false)
	old := b.blob("name: Ada\n")
	b.set("people/ada.yaml", filemode.Regular, old)
	b.write("people/bob.yaml", "name: Bob\n")
	base := b.commit("base")
	b.set("people/ada.yaml", filemode.Symlink, b.blob("bob.yaml"))
	b.remove("people/bob.yaml")
	head := b.commit("head", base)
	b.ref("refs/heads/main", head)
	r := b.open()
	got, err := r.Changes(commitObj(t, r, base), commitObj(t, r, head))
	if err != nil {
		t.Fatal(err)
	}
	want := []Change{
		{Path: "people/ada.yaml", Action: Modified, From: Entry{old, filemode.Regular},
			To: Entry{b.blob("bob.yaml"), filemode.Symlink}},
		{Path: "people/bob.yaml", Action: Deleted, From: Entry{b.blob("name: Bob\n"), filemode.Regular}},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Changes = %+v\nwant %+v", got, want)
	}
	all, err := r.Changes(nil, commitObj(t, r, base))
	if err != nil {
		t.Fatal(err)
	}
	if s := short(all); !slices.Equal(s, []string{"added people/ada.yaml", "added people/bob.yaml"}) {
		t.Errorf("Changes from nil = %q", s)
	}
}

// TestChangesMatchesDiffTree compares Changes with object.DiffTree on a
// random history of adds, edits, deletes, mode changes and files that
// become folders.
func TestChangesMatchesDiffTree(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	b := newBuilder(t, false)
	names := []string{"a", "b", "a/x", "a/y", "a/x/1", "b/c/d", "b/c/e", "reports/2026-01/r",
		"reports/2026-02/r", "people/p", "people/q", "z"}
	var commits []plumbing.Hash
	var prev []plumbing.Hash
	for i := range 60 {
		for range 1 + rng.IntN(4) {
			p := names[rng.IntN(len(names))]
			switch rng.IntN(6) {
			case 0:
				b.remove(p)
			case 1:
				b.set(p, filemode.Executable, b.blob(fmt.Sprint(rng.IntN(3))))
			case 2:
				b.set(p, filemode.Symlink, b.blob("target"))
			case 3:
				b.set(p, filemode.Submodule, subCommit)
			default:
				b.write(p, fmt.Sprint(rng.IntN(3)))
			}
		}
		h := b.commit(fmt.Sprint("step ", i), prev...)
		commits, prev = append(commits, h), []plumbing.Hash{h}
	}
	b.ref("refs/heads/main", prev[0])
	r := b.open()
	total, kinds := 0, map[string]int{}
	check := func(a, c plumbing.Hash) {
		got, err := r.Changes(commitObj(t, r, a), commitObj(t, r, c))
		if err != nil {
			t.Fatal(err)
		}
		total += len(got)
		for _, c := range got {
			kinds[c.Action.String()+" "+c.From.Mode.String()+">"+c.To.Mode.String()]++
		}
		if g, w := describe(got), oracle(t, b, a, c); !slices.Equal(g, w) {
			t.Errorf("%s..%s:\nChanges  %q\nDiffTree %q", a, c, g, w)
		}
		prefixes := []string{"a/", "reports/2026-0", "z"}
		some, err := r.Changes(commitObj(t, r, a), commitObj(t, r, c), prefixes...)
		if err != nil {
			t.Fatal(err)
		}
		want := slices.DeleteFunc(got, func(c Change) bool {
			return !slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(c.Path, p) })
		})
		if !slices.Equal(some, want) {
			t.Errorf("%s..%s with prefixes %q:\ngot  %q\nwant %q", a, c, prefixes, short(some), short(want))
		}
	}
	for i := 1; i < len(commits); i++ {
		check(commits[i-1], commits[i])
		check(commits[rng.IntN(len(commits))], commits[i])
	}
	t.Logf("compared %d changes: %v", total, kinds)
}

func describe(cs []Change) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s %s %s/%s %s/%s", c.Action, c.Path,
			c.From.Hash.String()[:7], c.From.Mode, c.To.Hash.String()[:7], c.To.Mode))
	}
	slices.Sort(out)
	return out
}

// oracle lists the changes from a to c that object.DiffTree finds.
func oracle(t *testing.T, b *builder, a, c plumbing.Hash) []string {
	tree := func(h plumbing.Hash) *object.Tree {
		cm, err := b.repo.CommitObject(h)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := cm.Tree()
		if err != nil {
			t.Fatal(err)
		}
		return tr
	}
	changes, err := object.DiffTree(tree(a), tree(c))
	if err != nil {
		t.Fatal(err)
	}
	var out []Change
	for _, ch := range changes {
		action, err := ch.Action()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, Change{
			Path:   pathOf(ch),
			Action: map[string]Action{"Insert": Added, "Modify": Modified, "Delete": Deleted}[action.String()],
			From:   Entry{ch.From.TreeEntry.Hash, ch.From.TreeEntry.Mode},
			To:     Entry{ch.To.TreeEntry.Hash, ch.To.TreeEntry.Mode},
		})
	}
	return describe(out)
}

func pathOf(ch *object.Change) string {
	if ch.To.Name != "" {
		return ch.To.Name
	}
	return ch.From.Name
}

package audit

import (
	"io/fs"
	"path"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/posture-dev/posture"
)

// repoBuilder writes commits straight into a real repository made with
// git.PlainInit: its state is a map of files, and each commit stores the
// trees of that state.
type repoBuilder struct {
	t     *testing.T
	dir   string
	repo  *git.Repository
	files map[string]string
}

func newRepo(t *testing.T) *repoBuilder {
	t.Helper()
	dir := t.TempDir()
	repo, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{InitOptions: git.InitOptions{DefaultBranch: plumbing.Main}})
	if err != nil {
		t.Fatal(err)
	}
	return &repoBuilder{t: t, dir: dir, repo: repo, files: map[string]string{}}
}

// defaults writes the shipped policies and schemas into the state.
func (b *repoBuilder) defaults() {
	err := fs.WalkDir(posture.Defaults, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(posture.Defaults, p)
		b.files[p] = string(data)
		return err
	})
	if err != nil {
		b.t.Fatal(err)
	}
}

// fork returns a builder with a copy of the state, writing to the same
// repository.
func (b *repoBuilder) fork() *repoBuilder {
	f := *b
	f.files = make(map[string]string, len(b.files))
	for k, v := range b.files {
		f.files[k] = v
	}
	return &f
}

func (b *repoBuilder) store(v interface {
	Encode(plumbing.EncodedObject) error
}) plumbing.Hash {
	o := b.repo.Storer.NewEncodedObject()
	if err := v.Encode(o); err != nil {
		b.t.Fatal(err)
	}
	h, err := b.repo.Storer.SetEncodedObject(o)
	if err != nil {
		b.t.Fatal(err)
	}
	return h
}

func (b *repoBuilder) blob(data string) plumbing.Hash {
	o := b.repo.Storer.NewEncodedObject()
	o.SetType(plumbing.BlobObject)
	w, _ := o.Writer()
	_, _ = w.Write([]byte(data))
	_ = w.Close()
	h, err := b.repo.Storer.SetEncodedObject(o)
	if err != nil {
		b.t.Fatal(err)
	}
	return h
}

// tree stores the folder dir of the state and returns its hash.
func (b *repoBuilder) tree(dir string) plumbing.Hash {
	names := map[string]bool{}
	prefix := dir + "/"
	if dir == "" {
		prefix = ""
	}
	var entries []object.TreeEntry
	for p, data := range b.files {
		rest, ok := strings.CutPrefix(p, prefix)
		if !ok {
			continue
		}
		name, _, sub := strings.Cut(rest, "/")
		if names[name] {
			continue
		}
		names[name] = true
		if sub {
			entries = append(entries, object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: b.tree(path.Join(dir, name))})
		} else {
			entries = append(entries, object.TreeEntry{Name: name, Mode: filemode.Regular, Hash: b.blob(data)})
		}
	}
	sort.Sort(object.TreeEntrySorter(entries))
	return b.store(&object.Tree{Entries: entries})
}

// commit stores the state as a commit by who at when.
func (b *repoBuilder) commit(msg, who string, when time.Time, parents ...plumbing.Hash) plumbing.Hash {
	name, email, _ := strings.Cut(who, " <")
	sig := object.Signature{Name: name, Email: strings.TrimSuffix(email, ">"), When: when}
	return b.store(&object.Commit{Author: sig, Committer: sig, Message: msg, TreeHash: b.tree(""), ParentHashes: parents})
}

// ref points refs/heads/main (or name) at h.
func (b *repoBuilder) ref(name string, h plumbing.Hash) {
	if err := b.repo.Storer.SetReference(plumbing.NewHashReference(plumbing.ReferenceName(name), h)); err != nil {
		b.t.Fatal(err)
	}
}

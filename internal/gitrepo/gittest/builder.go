// Package gittest builds real Git repositories in t.TempDir() with go-git,
// for tests of code that reads history. It is for tests only: production
// code must not import it.
package gittest

import (
	"io/fs"
	"maps"
	"path"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Builder writes commits straight into a real repository made with
// git.PlainInit: its state is a map of files, and each commit stores the
// trees of that state. Nothing is checked out.
type Builder struct {
	t testing.TB
	// Dir is the repository's folder.
	Dir string
	// Repo is the repository.
	Repo *git.Repository
	// Files is the state the next commit stores: file contents by
	// slash-separated path.
	Files map[string]string
	// blobs are the blobs already stored, by content: a commit writes
	// only the files that changed (shared with forks).
	blobs map[string]plumbing.Hash
}

// NewBuilder makes an empty repository whose first branch is main in a
// fresh temporary folder.
func NewBuilder(t testing.TB) *Builder {
	t.Helper()
	dir := t.TempDir()
	repo, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{InitOptions: git.InitOptions{DefaultBranch: plumbing.Main}})
	if err != nil {
		t.Fatal(err)
	}
	return &Builder{t: t, Dir: dir, Repo: repo, Files: map[string]string{}, blobs: map[string]plumbing.Hash{}}
}

// AddFS writes every file of fsys into the state, at the same path.
func (b *Builder) AddFS(fsys fs.FS) {
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		b.Files[p] = string(data)
		return err
	})
	if err != nil {
		b.t.Fatal(err)
	}
}

// Fork returns a builder with a copy of the state, writing to the same
// repository, to build a side branch.
func (b *Builder) Fork() *Builder {
	f := *b
	f.Files = maps.Clone(b.Files)
	return &f
}

// Commit stores the state as a commit with message msg, by who
// ("Name <email>") at when, with the given parents, and returns its hash.
// It moves no reference: see Ref.
func (b *Builder) Commit(msg, who string, when time.Time, parents ...plumbing.Hash) plumbing.Hash {
	name, email, _ := strings.Cut(who, " <")
	sig := object.Signature{Name: name, Email: strings.TrimSuffix(email, ">"), When: when}
	return b.Store(&object.Commit{Author: sig, Committer: sig, Message: msg, TreeHash: b.tree(""), ParentHashes: parents})
}

// Ref points the reference name (such as "refs/heads/main") at h.
func (b *Builder) Ref(name string, h plumbing.Hash) {
	if err := b.Repo.Storer.SetReference(plumbing.NewHashReference(plumbing.ReferenceName(name), h)); err != nil {
		b.t.Fatal(err)
	}
}

// Store encodes and stores an object (a tree, commit or tag, such as a
// commit read back and changed) and returns its hash.
func (b *Builder) Store(v interface {
	Encode(plumbing.EncodedObject) error
}) plumbing.Hash {
	o := b.Repo.Storer.NewEncodedObject()
	if err := v.Encode(o); err != nil {
		b.t.Fatal(err)
	}
	h, err := b.Repo.Storer.SetEncodedObject(o)
	if err != nil {
		b.t.Fatal(err)
	}
	return h
}

// blob stores data and returns its hash.
func (b *Builder) blob(data string) plumbing.Hash {
	if h, ok := b.blobs[data]; ok {
		return h
	}
	o := b.Repo.Storer.NewEncodedObject()
	o.SetType(plumbing.BlobObject)
	w, _ := o.Writer()
	_, _ = w.Write([]byte(data))
	_ = w.Close()
	h, err := b.Repo.Storer.SetEncodedObject(o)
	if err != nil {
		b.t.Fatal(err)
	}
	if b.blobs != nil {
		b.blobs[data] = h
	}
	return h
}

// tree stores the folder dir of the state and returns its hash.
func (b *Builder) tree(dir string) plumbing.Hash {
	names := map[string]bool{}
	prefix := dir + "/"
	if dir == "" {
		prefix = ""
	}
	var entries []object.TreeEntry
	for p, data := range b.Files {
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
	return b.Store(&object.Tree{Entries: entries})
}

package gitrepo

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// recordsRepo makes a commit with records in nested folders, an executable,
// a symbolic link and a submodule, and returns the repository and commit.
func recordsRepo(t *testing.T) (*Repo, *object.Commit) {
	b := newBuilder(t, false)
	b.write("people/ada.yaml", "name: Ada\n")
	b.write("people/bob.yaml", "name: Bob\n")
	b.write("reports/2026-01/ada-laptop.yaml", "device: ada-laptop\n")
	b.write("README.md", "# records\n")
	b.set("tools/run.sh", filemode.Executable, b.blob("#!/bin/sh\n"))
	b.set("people/link.yaml", filemode.Symlink, b.blob("../../etc/passwd"))
	b.set("vendor/lib", filemode.Submodule, plumbing.NewHash("0123456789abcdef0123456789abcdef01234567"))
	h := b.commit("records")
	b.ref("refs/heads/main", h)
	r := b.open()
	return r, commitObj(t, r, h)
}

func TestTreeFSPassesFSTest(t *testing.T) {
	b := newBuilder(t, false)
	b.write("people/ada.yaml", "name: Ada\n")
	b.write("reports/2026-01/ada-laptop.yaml", "device: ada-laptop\n")
	b.write("reports/2026-02/ada-laptop.yaml", "device: ada-laptop\nscan: 2026-02-01\n")
	b.set("tools/run.sh", filemode.Executable, b.blob("#!/bin/sh\n"))
	b.write("empty", "")
	h := b.commit("records")
	b.ref("refs/heads/main", h)
	r := b.open()
	fsys, err := r.TreeFS(commitObj(t, r, h))
	if err != nil {
		t.Fatal(err)
	}
	if err := fstest.TestFS(fsys, "people/ada.yaml", "reports/2026-01/ada-laptop.yaml",
		"reports/2026-02/ada-laptop.yaml", "tools/run.sh", "empty"); err != nil {
		t.Fatal(err)
	}
}

func TestTreeFSReadStatReadDir(t *testing.T) {
	r, c := recordsRepo(t)
	fsys, err := r.TreeFS(c)
	if err != nil {
		t.Fatal(err)
	}
	data, err := fs.ReadFile(fsys, "reports/2026-01/ada-laptop.yaml")
	if err != nil || string(data) != "device: ada-laptop\n" {
		t.Errorf("ReadFile = %q, %v", data, err)
	}

	tests := []struct {
		path string
		mode fs.FileMode
		size int64
	}{
		{"people/ada.yaml", 0o644, 10},
		{"tools/run.sh", 0o755, 10},
		{"people", fs.ModeDir | 0o755, 0},
		{".", fs.ModeDir | 0o755, 0},
		{"people/link.yaml", fs.ModeSymlink | 0o777, 16},
		{"vendor/lib", fs.ModeIrregular, 0},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			fi, err := fs.Stat(fsys, tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode() != tt.mode || fi.Size() != tt.size || !fi.ModTime().Equal(c.Committer.When) {
				t.Errorf("Stat = mode %v size %d time %v, want %v %d %v",
					fi.Mode(), fi.Size(), fi.ModTime(), tt.mode, tt.size, c.Committer.When)
			}
		})
	}

	des, err := fs.ReadDir(fsys, "people")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, de := range des {
		got = append(got, fmt.Sprintf("%s %v", de.Name(), de.Type()))
	}
	want := []string{"ada.yaml ----------", "bob.yaml ----------", "link.yaml L---------"}
	if !slices.Equal(got, want) {
		t.Errorf("ReadDir(people) = %q, want %q", got, want)
	}
	des, err = fs.ReadDir(fsys, "vendor")
	if err != nil || len(des) != 1 || des[0].Type() != fs.ModeIrregular {
		t.Errorf("ReadDir(vendor) = %v, %v; want lib with fs.ModeIrregular", des, err)
	}
}

func TestTreeFSRefusesLinksAndSubmodules(t *testing.T) {
	r, c := recordsRepo(t)
	fsys, err := r.TreeFS(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"people/link.yaml", "vendor/lib"} {
		if _, err := fsys.Open(name); !errors.Is(err, ErrNotRegular) {
			t.Errorf("Open(%q) error = %v, want ErrNotRegular", name, err)
		}
		if _, err := fs.ReadFile(fsys, name); !errors.Is(err, ErrNotRegular) {
			t.Errorf("ReadFile(%q) error = %v, want ErrNotRegular", name, err)
		}
	}
}

func TestTreeFSErrors(t *testing.T) {
	r, c := recordsRepo(t)
	fsys, err := r.TreeFS(c)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		op         func(string) error
		want       error
	}{
		{"absolute", "/people/ada.yaml", open(fsys), fs.ErrInvalid},
		{"dot dot", "people/../people/ada.yaml", readFile(fsys), fs.ErrInvalid},
		{"leading dot", "./people/ada.yaml", stat(fsys), fs.ErrInvalid},
		{"trailing slash", "people/", readDir(fsys), fs.ErrInvalid},
		{"empty", "", open(fsys), fs.ErrInvalid},
		{"missing", "people/eve.yaml", open(fsys), fs.ErrNotExist},
		{"below a file", "people/ada.yaml/x", stat(fsys), fs.ErrNotExist},
		{"missing folder", "nobody", readDir(fsys), fs.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.op(tt.path)
			var pe *fs.PathError
			if !errors.Is(err, tt.want) || !errors.As(err, &pe) {
				t.Errorf("error = %v, want a *fs.PathError matching %v", err, tt.want)
			}
		})
	}
	if _, err := fs.ReadFile(fsys, "people"); err == nil {
		t.Error("ReadFile of a folder succeeded")
	}
	if _, err := fs.ReadDir(fsys, "people/ada.yaml"); err == nil {
		t.Error("ReadDir of a file succeeded")
	}
}

func open(fsys fs.FS) func(string) error {
	return func(p string) error { _, err := fsys.Open(p); return err }
}
func readFile(fsys fs.FS) func(string) error {
	return func(p string) error { _, err := fs.ReadFile(fsys, p); return err }
}
func stat(fsys fs.FS) func(string) error {
	return func(p string) error { _, err := fs.Stat(fsys, p); return err }
}
func readDir(fsys fs.FS) func(string) error {
	return func(p string) error { _, err := fs.ReadDir(fsys, p); return err }
}

func TestTreeRejectsInvalidEntryNames(t *testing.T) {
	b := newBuilder(t, false)
	b.write("people/ada.yaml", "name: Ada\n")
	base := b.commit("ok")
	bad := b.store(&object.Tree{Entries: []object.TreeEntry{
		{Name: "..", Mode: filemode.Regular, Hash: b.blob("x")},
		{Name: "people", Mode: filemode.Dir, Hash: b.tree("people")},
	}})
	sig := object.Signature{Name: "Test", Email: "test@example.com", When: epoch}
	head := b.store(&object.Commit{Author: sig, Committer: sig, Message: "bad", TreeHash: bad, ParentHashes: []plumbing.Hash{base}})
	b.ref("refs/heads/main", head)
	r := b.open()
	hc := commitObj(t, r, head)
	if _, err := r.TreeFS(hc); err == nil {
		t.Error("TreeFS of a tree with an entry named .. succeeded")
	}
	if _, err := r.Changes(commitObj(t, r, base), hc); err == nil {
		t.Error("Changes into a tree with an entry named .. succeeded")
	}
}

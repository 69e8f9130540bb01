package gitrepo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// ErrNotRegular is matched (errors.Is) by the error from opening or reading
// a symbolic link or a submodule in a commit's tree: Stat and ReadDir show
// them, but their content is never followed.
var ErrNotRegular = errors.New("not a regular file")

// TreeFS returns a read-only file system over the tree of c. It implements
// fs.ReadFileFS, fs.ReadDirFS and fs.StatFS, is safe for concurrent use, and
// gives every file c's committer time as its modification time. Symbolic
// links report fs.ModeSymlink and submodules fs.ModeIrregular; opening
// either fails with ErrNotRegular.
func (r *Repo) TreeFS(c *object.Commit) (fs.FS, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := &treeFS{r: r, root: c.TreeHash, cache: newTreeCache(r.st), modTime: c.Committer.When}
	if _, err := t.cache.get(c.TreeHash); err != nil {
		return nil, fmt.Errorf("read tree of %s: %w", c.Hash, err)
	}
	return t, nil
}

type treeFS struct {
	r       *Repo
	root    plumbing.Hash
	cache   *treeCache // guarded by r.mu; never aged
	modTime time.Time
}

// entry checks that name is a valid path and looks it up; the caller holds
// the lock.
func (t *treeFS) entry(op, name string) (object.TreeEntry, error) {
	if !fs.ValidPath(name) {
		return object.TreeEntry{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	e, ok, err := t.cache.lookup(t.root, name)
	if err != nil {
		return object.TreeEntry{}, &fs.PathError{Op: op, Path: name, Err: err}
	}
	if !ok {
		return object.TreeEntry{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
	}
	return e, nil
}

// Open opens the file or folder name.
func (t *treeFS) Open(name string) (fs.File, error) {
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	e, err := t.entry("open", name)
	if err != nil {
		return nil, err
	}
	info, err := t.info(path.Base(name), e)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	if e.Mode == filemode.Dir {
		list, err := t.list(name, e.Hash)
		if err != nil {
			return nil, err
		}
		return &dir{info: info, path: name, entries: list}, nil
	}
	data, err := t.read("open", name, e)
	if err != nil {
		return nil, err
	}
	return &file{Reader: bytes.NewReader(data), info: info}, nil
}

// ReadFile returns the content of the file name.
func (t *treeFS) ReadFile(name string) ([]byte, error) {
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	e, err := t.entry("read", name)
	if err != nil {
		return nil, err
	}
	return t.read("read", name, e)
}

// ReadDir lists the folder name, sorted by file name.
func (t *treeFS) ReadDir(name string) ([]fs.DirEntry, error) {
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	e, err := t.entry("readdir", name)
	if err != nil {
		return nil, err
	}
	if e.Mode != filemode.Dir {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a directory")}
	}
	return t.list(name, e.Hash)
}

// Stat describes name without following a symbolic link.
func (t *treeFS) Stat(name string) (fs.FileInfo, error) {
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	e, err := t.entry("stat", name)
	if err != nil {
		return nil, err
	}
	info, err := t.info(path.Base(name), e)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	return info, nil
}

// read returns a regular file's content; the caller holds the lock.
func (t *treeFS) read(op, name string, e object.TreeEntry) ([]byte, error) {
	if e.Mode != filemode.Regular && e.Mode != filemode.Executable {
		err := ErrNotRegular
		if e.Mode == filemode.Dir {
			err = errors.New("is a directory")
		}
		return nil, &fs.PathError{Op: op, Path: name, Err: err}
	}
	b, err := object.GetBlob(t.r.st, e.Hash)
	if err != nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: fmt.Errorf("read blob %s: %w", e.Hash, err)}
	}
	rc, err := b.Reader()
	if err != nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: fmt.Errorf("read blob %s: %w", e.Hash, err)}
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: fmt.Errorf("read blob %s: %w", e.Hash, err)}
	}
	return data, nil
}

// list returns the entries of the tree h at name, sorted by name; the
// caller holds the lock.
func (t *treeFS) list(name string, h plumbing.Hash) ([]fs.DirEntry, error) {
	tr, err := t.cache.get(h)
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	entries := tr.all()
	list := make([]fs.DirEntry, 0, len(entries))
	for _, e := range entries {
		list = append(list, &dirEntry{t: t, e: e})
	}
	slices.SortFunc(list, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return list, nil
}

// info describes entry e under the name base; the caller holds the lock.
func (t *treeFS) info(base string, e object.TreeEntry) (*fileInfo, error) {
	fi := &fileInfo{name: base, mode: fileMode(e.Mode), modTime: t.modTime}
	if e.Mode == filemode.Dir || e.Mode == filemode.Submodule {
		return fi, nil
	}
	size, err := t.r.blobSize(e.Hash)
	if err != nil {
		return nil, fmt.Errorf("read size of blob %s: %w", e.Hash, err)
	}
	fi.size = size
	return fi, nil
}

// fileMode maps a canonical tree entry mode to an fs.FileMode.
func fileMode(m filemode.FileMode) fs.FileMode {
	switch m {
	case filemode.Dir:
		return fs.ModeDir | 0o755
	case filemode.Symlink:
		return fs.ModeSymlink | 0o777
	case filemode.Submodule:
		return fs.ModeIrregular
	case filemode.Executable:
		return 0o755
	default:
		return 0o644
	}
}

package posture

import (
	"errors"
	"io"
	"io/fs"
	"slices"
	"strings"
)

// layers is several file systems seen as one: a file is the first layer's
// that has it, and a folder lists the entries of every layer that has it.
// The layers are expected to agree on which names are folders.
type layers []fs.FS

// Open implements fs.FS.
func (l layers) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	var dir *layerDir
	for _, fsys := range l {
		f, err := fsys.Open(name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		info, err := f.Stat()
		if err != nil || !info.IsDir() {
			if err == nil && dir == nil {
				return f, nil
			}
			f.Close()
			if err != nil {
				return nil, err
			}
			continue // a folder above hides a file of the same name
		}
		f.Close()
		entries, err := fs.ReadDir(fsys, name)
		if err != nil {
			return nil, err
		}
		if dir == nil {
			dir = &layerDir{info: info}
		}
		for _, e := range entries {
			if !slices.ContainsFunc(dir.entries, func(d fs.DirEntry) bool { return d.Name() == e.Name() }) {
				dir.entries = append(dir.entries, e)
			}
		}
	}
	if dir == nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	slices.SortFunc(dir.entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return dir, nil
}

// layerDir is a folder of layers: the entries of all its layers.
type layerDir struct {
	info    fs.FileInfo
	entries []fs.DirEntry
	read    int
}

func (d *layerDir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *layerDir) Close() error               { return nil }

func (d *layerDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.Name(), Err: errors.New("is a directory")}
}

// ReadDir implements fs.ReadDirFile.
func (d *layerDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.read:]
	if n <= 0 {
		d.read = len(d.entries)
		return slices.Clone(rest), nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	rest = rest[:min(n, len(rest))]
	d.read += len(rest)
	return slices.Clone(rest), nil
}

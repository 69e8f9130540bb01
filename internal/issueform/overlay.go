package issueform

import (
	"bytes"
	"io"
	"io/fs"
	"path"
	"time"
)

// Overlay returns base with one file laid over it: name reads as data,
// every other path as base has it. It is the tree the checker sees when
// it judges a record built from a form, as if it were already committed.
func Overlay(base fs.FS, name string, data []byte) fs.FS {
	return overlay{base: base, name: name, data: data}
}

type overlay struct {
	base fs.FS
	name string
	data []byte
}

func (o overlay) Open(name string) (fs.File, error) {
	if name != o.name {
		return o.base.Open(name)
	}
	return &memFile{Reader: bytes.NewReader(o.data), info: memInfo{name: name, size: int64(len(o.data))}}, nil
}

func (o overlay) ReadFile(name string) ([]byte, error) {
	if name != o.name {
		return fs.ReadFile(o.base, name)
	}
	return bytes.Clone(o.data), nil
}

type memFile struct {
	*bytes.Reader
	info memInfo
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Close() error               { return nil }

var _ io.Reader = (*memFile)(nil)

type memInfo struct {
	name string
	size int64
}

func (i memInfo) Name() string       { return path.Base(i.name) }
func (i memInfo) Size() int64        { return i.size }
func (i memInfo) Mode() fs.FileMode  { return 0o644 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }

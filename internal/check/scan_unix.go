//go:build unix

package check

import (
	"io/fs"
	"path/filepath"
	"sync"
	"syscall"
)

// scanBufs are the buffers the first read of a tree reads files into.
var scanBufs = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

// scanRead reads the file p of the tree at root (fsys, an os.DirFS of it)
// into a buffer of the pool and calls fn with its bytes; fn must not keep
// them. It reads with one open, read and close, without the descriptor
// bookkeeping of package os: the first read of a tree of 100,000 files is
// most of a cached check.
func scanRead(root string, fsys fs.FS, p string, fn func([]byte)) bool {
	if root == "" {
		return scanReadFS(fsys, p, fn)
	}
	fd, err := syscall.Open(filepath.Join(root, filepath.FromSlash(p)), syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return false
	}
	defer syscall.Close(fd)
	bp := scanBufs.Get().(*[]byte)
	defer scanBufs.Put(bp)
	buf := (*bp)[:0]
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := syscall.Read(fd, buf[len(buf):cap(buf)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return false
		}
		if n == 0 {
			break
		}
		buf = buf[:len(buf)+n]
	}
	*bp = buf[:0]
	fn(buf)
	return true
}

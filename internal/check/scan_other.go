//go:build !unix

package check

import "io/fs"

// scanRead reads the file p of fsys and calls fn with its bytes.
func scanRead(root string, fsys fs.FS, p string, fn func([]byte)) bool {
	return scanReadFS(fsys, p, fn)
}

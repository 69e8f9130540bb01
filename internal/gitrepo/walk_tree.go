package gitrepo

import (
	"bytes"
	"errors"
	"io"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// errMalformedTree is wrapped by the error for a tree object that does not
// parse.
var errMalformedTree = errors.New("malformed tree object")

// rawEntry is one entry of an encoded tree: "<mode> <name>\x00<20-byte
// hash>". name points into the encoded tree.
type rawEntry struct {
	mode filemode.FileMode
	name []byte
	hash plumbing.Hash
}

// next reads the entry at the start of *buf into e and advances *buf past
// it. ok is false at the end of the tree.
func (e *rawEntry) next(buf *[]byte) (ok bool, err error) {
	b := *buf
	if len(b) == 0 {
		return false, nil
	}
	sp := bytes.IndexByte(b, ' ')
	if sp <= 0 {
		return false, errMalformedTree
	}
	var mode uint32
	for _, c := range b[:sp] {
		if c < '0' || c > '7' {
			return false, errMalformedTree
		}
		mode = mode<<3 | uint32(c-'0')
	}
	b = b[sp+1:]
	nul := bytes.IndexByte(b, 0)
	if nul <= 0 || len(b) < nul+1+len(plumbing.ZeroHash) {
		return false, errMalformedTree
	}
	e.mode = canonicalMode(filemode.FileMode(mode))
	e.name = b[:nul]
	copy(e.hash[:], b[nul+1:])
	*buf = b[nul+1+len(plumbing.ZeroHash):]
	return true, nil
}

// canonicalMode maps the modes old Git versions wrote (such as 100664) to
// the ones go-git's tree decoding gives, so both compare alike.
func canonicalMode(m filemode.FileMode) filemode.FileMode {
	switch m & 0o170000 {
	case 0o040000:
		return filemode.Dir
	case 0o100000:
		if m&0o111 != 0 {
			return filemode.Executable
		}
		return filemode.Regular
	case 0o120000:
		return filemode.Symlink
	}
	return filemode.Submodule
}

// compareEntries orders entries as Git sorts a tree: by name, with a
// folder's name compared as if it ended in "/".
func compareEntries(a, b *rawEntry) int {
	n := min(len(a.name), len(b.name))
	if c := bytes.Compare(a.name[:n], b.name[:n]); c != 0 {
		return c
	}
	ca, cb := sortByte(a, n), sortByte(b, n)
	switch {
	case ca < cb:
		return -1
	case ca > cb:
		return 1
	}
	return 0
}

// sortByte is the byte of e's sort name at i (at most the name's length):
// at the end of the name, "/" for a folder and -1 (the end) otherwise.
func sortByte(e *rawEntry, i int) int {
	if i < len(e.name) {
		return int(e.name[i])
	}
	if e.mode == filemode.Dir {
		return '/'
	}
	return -1
}

// readFull fills b from r.
func readFull(r io.Reader, b []byte) (int, error) {
	n, err := io.ReadFull(r, b)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return n, errMalformedTree
	}
	return n, err
}

// chunk is how many bytes the common-prefix and common-suffix scans
// compare at a time.
const chunk = 256

// skipCommonPrefix drops the entries that start both encoded trees with
// the same bytes, so that a comparison reads only from the first entry
// that differs: in a folder of thousands of reports where one changed,
// most of both trees is skipped by a memory comparison.
func skipCommonPrefix(a, b []byte) ([]byte, []byte) {
	n := min(len(a), len(b))
	l := 0
	for l+chunk <= n && bytes.Equal(a[l:l+chunk], b[l:l+chunk]) {
		l += chunk
	}
	for l < n && a[l] == b[l] {
		l++
	}
	// Entry boundaries agree up to l; keep the entries that end by then.
	pos := 0
	for {
		nul := bytes.IndexByte(a[pos:min(l, len(a))], 0)
		if nul < 0 {
			break
		}
		end := pos + nul + 1 + len(plumbing.ZeroHash)
		if end > l {
			break
		}
		pos = end
	}
	return a[pos:], b[pos:]
}

// commonSuffix returns how many bytes at the end of a and b are the same.
func commonSuffix(a, b []byte) int {
	n := min(len(a), len(b))
	s := 0
	for s+chunk <= n && bytes.Equal(a[len(a)-s-chunk:len(a)-s], b[len(b)-s-chunk:len(b)-s]) {
		s += chunk
	}
	for s < n && a[len(a)-s-1] == b[len(b)-s-1] {
		s++
	}
	return s
}

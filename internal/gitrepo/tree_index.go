package gitrepo

import (
	"bytes"
	"math"
	"slices"

	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// smallTree is the size of encoded tree below which find always scans: a
// folder of a few dozen entries is read faster than it is indexed.
const smallTree = 2048

// find returns the first entry called name, as a scan of the encoded tree
// would. A large tree scans for its first lookup and is indexed on the
// second, so that looking up every name of a folder of n files costs
// O(n log n) instead of O(n²), and a single lookup costs one scan.
func (t *tree) find(name string) (object.TreeEntry, bool) {
	if t.index == nil && (len(t.raw) < smallTree || !t.scanned || len(t.raw) > math.MaxUint32) {
		t.scanned = true
		return scanTree(t.raw, name)
	}
	if t.index == nil {
		t.index = indexTree(t.raw)
	}
	// The index is sorted by name and keeps entries of the same name in
	// the order of the tree, so the first of them is the first a scan finds.
	i, found := slices.BinarySearchFunc(t.index, name, func(off uint32, name string) int {
		return compareName(t.raw, off, name)
	})
	if !found {
		return object.TreeEntry{}, false
	}
	buf := t.raw[t.index[i]:]
	var e rawEntry
	if ok, err := e.next(&buf); !ok || err != nil {
		return object.TreeEntry{}, false
	}
	return object.TreeEntry{Name: name, Mode: e.mode, Hash: e.hash}, true
}

// scanTree returns the first entry of the encoded tree raw called name.
func scanTree(raw []byte, name string) (object.TreeEntry, bool) {
	var e rawEntry
	for {
		ok, err := e.next(&raw)
		if !ok || err != nil {
			return object.TreeEntry{}, false
		}
		if string(e.name) == name {
			return object.TreeEntry{Name: name, Mode: e.mode, Hash: e.hash}, true
		}
	}
}

// indexTree returns the offsets of the entries of raw sorted by name
// (bytewise), entries of the same name in their order in raw. Git's order
// is bytewise too but for folders, sorted as if their names ended in "/":
// a tree that is already in bytewise order (any folder of files alone, such
// as a month of reports) is indexed in one pass, any other sorted once.
// Entries past a malformed one are left out, as a scan never reaches them.
func indexTree(raw []byte) []uint32 {
	var offs []uint32
	var prev []byte
	inOrder := true
	buf := raw
	var e rawEntry
	for {
		off := len(raw) - len(buf)
		ok, err := e.next(&buf)
		if !ok || err != nil {
			break
		}
		if inOrder && prev != nil && bytes.Compare(prev, e.name) > 0 {
			inOrder = false
		}
		prev = e.name
		offs = append(offs, uint32(off))
	}
	if !inOrder {
		slices.SortStableFunc(offs, func(a, b uint32) int {
			return bytes.Compare(entryName(raw, a), entryName(raw, b))
		})
	}
	return offs
}

// wellFormed returns the error of the first malformed entry of raw, or nil.
func wellFormed(raw []byte) error {
	var e rawEntry
	for {
		ok, err := e.next(&raw)
		if !ok || err != nil {
			return err
		}
	}
}

// entryName returns the name of the well-formed entry at offset off of raw.
func entryName(raw []byte, off uint32) []byte {
	b := raw[off:]
	b = b[bytes.IndexByte(b, ' ')+1:]
	return b[:bytes.IndexByte(b, 0)]
}

// compareName compares the name of the well-formed entry at offset off of
// raw with name, bytewise. It reads the entry's name with the NUL byte
// after it, which sorts before any byte of a name, so it never looks for
// the name's end.
func compareName(raw []byte, off uint32, name string) int {
	b := raw[off:]
	b = b[bytes.IndexByte(b, ' ')+1:]
	for i := range len(name) {
		switch {
		case i == len(b) || b[i] < name[i]:
			return -1 // a NUL byte too: the entry's name is a prefix of name
		case b[i] > name[i]:
			return 1
		}
	}
	if len(b) > len(name) && b[len(name)] == 0 {
		return 0
	}
	return 1 // the entry's name goes on: it sorts after name
}

// twins finds a folder that shares its name with a file of the same tree:
// Git's order sorts a folder as if its name ended in "/", so "x", "x-1",
// "x.yaml" and then the folder "x" are in order, and Git refuses the pair
// all the same. Fed the entries of a tree in order, it keeps the files whose
// names are a prefix of every entry since, each pushed and popped once.
type twins struct{ files [][]byte }

// twin reports whether e, the next entry in Git's order, is a folder
// named as a file before it.
func (w *twins) twin(e *rawEntry) bool {
	for len(w.files) > 0 {
		f := w.files[len(w.files)-1]
		if len(e.name) >= len(f) && bytes.Equal(e.name[:len(f)], f) {
			if len(e.name) == len(f) {
				return true // sorted after the file: the folder of the same name
			}
			break
		}
		w.files = w.files[:len(w.files)-1]
	}
	if e.mode != filemode.Dir {
		w.files = append(w.files, e.name)
	}
	return false
}

package scaffold

import (
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	fdiff "github.com/go-git/go-git/v5/plumbing/format/diff"
)

// contextLines is how many unchanged lines a hunk shows around a change.
const contextLines = 3

// Diff returns the unified diff, as git prints it, that turns old into new
// at path p: a nil old is a new file, a nil new a removed one.
func Diff(p string, old, new []byte) string {
	fp := filePatch{chunks: lineChunks(string(old), string(new))}
	if old != nil {
		fp.from = &diffFile{path: p, hash: plumbing.ComputeHash(plumbing.BlobObject, old)}
	}
	if new != nil {
		fp.to = &diffFile{path: p, hash: plumbing.ComputeHash(plumbing.BlobObject, new)}
	}
	var b strings.Builder
	// The encoder fails only when its writer does.
	_ = fdiff.NewUnifiedEncoder(&b, contextLines).Encode(patch{fp})
	return b.String()
}

// lineChunks is the shortest edit from a's lines to b's: the longest common
// subsequence of lines, by dynamic programming. The files posture manages
// have a few hundred lines at most.
func lineChunks(a, b string) []fdiff.Chunk {
	x, y := splitLines(a), splitLines(b)
	// lcs[i][j] is the length of the longest common subsequence of x[i:]
	// and y[j:].
	lcs := make([][]int32, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []fdiff.Chunk
	add := func(op fdiff.Operation, line string) {
		if n := len(out); n > 0 && out[n-1].(chunk).op == op {
			c := out[n-1].(chunk)
			c.text += line
			out[n-1] = c
			return
		}
		out = append(out, chunk{op: op, text: line})
	}
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			add(fdiff.Equal, x[i])
			i, j = i+1, j+1
		case i < len(x) && (j == len(y) || lcs[i+1][j] >= lcs[i][j+1]):
			add(fdiff.Delete, x[i])
			i++
		default:
			add(fdiff.Add, y[j])
			j++
		}
	}
	return out
}

// splitLines cuts s after every newline; a last line without one is kept.
func splitLines(s string) []string {
	var out []string
	for line := range strings.Lines(s) {
		out = append(out, line)
	}
	return out
}

type chunk struct {
	op   fdiff.Operation
	text string
}

func (c chunk) Content() string                { return c.text }
func (c chunk) Type() fdiff.Operation          { return c.op }
func (p patch) FilePatches() []fdiff.FilePatch { return []fdiff.FilePatch{p.fp} }
func (p patch) Message() string                { return "" }

type patch struct{ fp filePatch }

type filePatch struct {
	from, to *diffFile
	chunks   []fdiff.Chunk
}

func (f filePatch) IsBinary() bool        { return false }
func (f filePatch) Chunks() []fdiff.Chunk { return f.chunks }

// Files returns nil interfaces, not nil pointers, for a missing side: the
// encoder tells a new or removed file by them.
func (f filePatch) Files() (from, to fdiff.File) {
	if f.from != nil {
		from = f.from
	}
	if f.to != nil {
		to = f.to
	}
	return from, to
}

type diffFile struct {
	path string
	hash plumbing.Hash
}

func (f *diffFile) Hash() plumbing.Hash     { return f.hash }
func (f *diffFile) Mode() filemode.FileMode { return filemode.Regular }
func (f *diffFile) Path() string            { return f.path }

package overview

import (
	"bytes"
	"encoding/json"
	"io"
)

// indentJSON appends src, JSON as encoding/json writes it (valid, with no
// space outside strings), to dst indented by two spaces: byte for byte what
// json.Indent(dst, src, "", "  ") appends. It skips json.Indent's scanner,
// which checks every byte of a document known to be good: the audit of a
// year writes tens of megabytes. When flush is set it is handed dst each
// time dst passes flushAt bytes, and returns what to append to next.
func indentJSON(dst, src []byte, flush func([]byte) []byte) []byte {
	var in indenter
	return in.indent(dst, src, flush)
}

// indenter is the state of indentJSON between pieces of one document:
// the pieces may split it anywhere but inside a string.
type indenter struct {
	depth int
	open  bool // after '{' or '[': a newline is due unless it closes at once
}

// indent is indentJSON of the next piece of the document.
func (in *indenter) indent(dst, src []byte, flush func([]byte) []byte) []byte {
	depth, open := in.depth, in.open
	defer func() { in.depth, in.open = depth, open }()
	newline := func() {
		dst = append(dst, '\n')
		for range depth {
			dst = append(dst, ' ', ' ')
		}
	}
	for i := 0; i < len(src); i++ {
		if flush != nil && len(dst) >= flushAt {
			dst = flush(dst)
		}
		c := src[i]
		if open && c != '}' && c != ']' {
			open = false
			depth++
			newline()
		}
		switch c {
		case '"':
			// Copy the string through its closing quote; a backslash
			// escapes the byte after it.
			j := i + 1
			for j < len(src) {
				k := bytes.IndexAny(src[j:], `"\`)
				if k < 0 {
					j = len(src)
					break
				}
				j += k
				if src[j] == '"' {
					break
				}
				j += 2
			}
			j = min(j, len(src)-1)
			dst = append(dst, src[i:j+1]...)
			i = j
		case '{', '[':
			open = true
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline()
		case ':':
			dst = append(dst, c, ' ')
		case '}', ']':
			if open {
				open = false
			} else {
				depth--
				newline()
			}
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// flushAt is how much indented JSON indentWriter holds before writing it.
const flushAt = 64 << 10

// indentWriter indents each JSON document written to it (whole, as a
// json.Encoder writes it) onto w, holding flushAt bytes at a time rather
// than a second copy of the document.
type indentWriter struct {
	w   io.Writer
	buf []byte
	err error
}

func (x *indentWriter) Write(src []byte) (int, error) {
	flush := func(b []byte) []byte {
		if x.err == nil {
			_, x.err = x.w.Write(b)
		}
		return b[:0]
	}
	x.buf = flush(indentJSON(x.buf[:0], src, flush))
	if x.err != nil {
		return 0, x.err
	}
	return len(src), nil
}

// JSONWriter writes one JSON document in pieces, indented as WriteJSON
// indents it: literal JSON text between values (Raw) and values encoded as
// WriteJSON encodes them (Value). A writer of a document with a long list
// writes its items one by one instead of encoding the whole list into
// memory first. The first error sticks; Close returns it.
type JSONWriter struct {
	w   io.Writer
	in  indenter
	buf []byte       // indented output not written yet
	enc bytes.Buffer // the value being encoded
	je  *json.Encoder
	err error
}

// NewJSONWriter returns a JSONWriter onto w.
func NewJSONWriter(w io.Writer) *JSONWriter {
	x := &JSONWriter{w: w, buf: make([]byte, 0, flushAt+1024)}
	x.je = json.NewEncoder(&x.enc)
	x.je.SetEscapeHTML(false)
	return x
}

func (x *JSONWriter) flush(b []byte) []byte {
	if x.err == nil {
		_, x.err = x.w.Write(b)
	}
	return b[:0]
}

// Raw writes JSON text that encoding/json would write there: punctuation
// and object keys, without spaces.
func (x *JSONWriter) Raw(s string) {
	x.buf = x.in.indent(x.buf, []byte(s), x.flush)
}

// Value writes v as encoding/json encodes it, HTML characters left as they
// are.
func (x *JSONWriter) Value(v any) {
	x.enc.Reset()
	if err := x.je.Encode(v); err != nil {
		if x.err == nil {
			x.err = err
		}
		return
	}
	b := x.enc.Bytes()
	x.buf = x.in.indent(x.buf, b[:len(b)-1], x.flush) // without Encode's newline
}

// Close writes what is held and returns the first error.
func (x *JSONWriter) Close() error {
	x.buf = x.flush(x.buf)
	return x.err
}

package overview

import (
	"bytes"
	"io"
)

// indentJSON appends src, JSON as encoding/json writes it (valid, with no
// space outside strings), to dst indented by two spaces: byte for byte what
// json.Indent(dst, src, "", "  ") appends. It skips json.Indent's scanner,
// which checks every byte of a document known to be good: the audit of a
// year writes tens of megabytes. When flush is set it is handed dst each
// time dst passes flushAt bytes, and returns what to append to next.
func indentJSON(dst, src []byte, flush func([]byte) []byte) []byte {
	depth := 0
	open := false // after '{' or '[': a newline is due unless it closes at once
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

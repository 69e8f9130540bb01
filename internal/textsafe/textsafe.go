// Package textsafe makes untrusted text safe to show: in a terminal, a
// GitHub workflow command, a Markdown table or comment, or a JSON string that
// a script prints. Values from records reach all of these, and a record in a
// pull request is written by whoever opened it.
package textsafe

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Breaks says what Escape does with line breaks, which each output format
// treats its own way.
type Breaks uint8

const (
	// EscapeBreaks escapes "\n" and "\r" too, for text that must stay on one
	// line: a path or a rule id in the text format.
	EscapeBreaks Breaks = iota
	// KeepNewlines keeps "\n" and "\r\n" and escapes a lone "\r", which
	// would return a terminal's cursor to the start of the line and let the
	// text after it hide the text before it.
	KeepNewlines
	// KeepBreaks keeps every "\n" and "\r", for a format that escapes or
	// converts them itself: GitHub workflow commands (%0A, %0D) and Markdown
	// (<br>, or a line ending inside a fenced block).
	KeepBreaks
)

// Escape returns s with every character that could control a terminal or
// disguise text shown as a visible Go escape, so that the reader sees what
// the file holds:
//
//   - C0 controls, DEL and C1 controls (U+0080 to U+009F): "\x1b", "\a",
//     "\u009b". A tab is kept; line breaks are as b says.
//   - the line and paragraph separators U+2028 and U+2029: "\u2028".
//   - the bidirectional embeddings, overrides and isolates U+202A to U+202E
//     and U+2066 to U+2069, which reorder the text shown around them:
//     "\u202e".
//   - bytes that are not UTF-8: "\xff".
//
// Everything else is kept, backslashes too. Escape allocates only when s
// holds something to escape, and Escape(Escape(s, b), b) == Escape(s, b).
func Escape(s string, b Breaks) string {
	i := firstUnsafe(s, b)
	if i < 0 {
		return s
	}
	var out strings.Builder
	out.Grow(len(s) + 8)
	out.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			out.WriteString(`\x`)
			out.WriteByte(hex[s[i]>>4])
			out.WriteByte(hex[s[i]&0xf])
		case unsafeAt(s, i, r, b):
			q := strconv.QuoteRuneToASCII(r)
			out.WriteString(q[1 : len(q)-1])
		default:
			out.WriteString(s[i : i+size])
		}
		i += size
	}
	return out.String()
}

const hex = "0123456789abcdef"

// firstUnsafe returns the index of the first byte of s that Escape changes,
// or -1.
func firstUnsafe(s string, b Breaks) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unsafeAt(s, i, r, b) {
			return i
		}
		i += size
	}
	return -1
}

// unsafeAt reports whether the rune r at s[i] is to be escaped.
func unsafeAt(s string, i int, r rune, b Breaks) bool {
	switch r {
	case '\t':
		return false
	case '\n':
		return b == EscapeBreaks
	case '\r':
		switch b {
		case KeepBreaks:
			return false
		case KeepNewlines:
			return i+1 >= len(s) || s[i+1] != '\n'
		}
		return true
	}
	return unsafeRune(r)
}

// unsafeRune reports whether Escape escapes r wherever it stands: the
// controls but tab, "\n" and "\r", and the separators and bidirectional
// formatting characters listed at Escape.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20:
		return r != '\t' && r != '\n' && r != '\r'
	case r < 0x7f:
		return false
	case r <= 0x9f:
		return true // DEL and C1
	case r == 0x2028, r == 0x2029:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

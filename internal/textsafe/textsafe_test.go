package textsafe

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	tests := []struct {
		name, in string
		// want under EscapeBreaks, KeepNewlines and KeepBreaks
		escape, newlines, breaks string
	}{
		{name: "plain", in: `os "windows 7"`, escape: `os "windows 7"`, newlines: `os "windows 7"`, breaks: `os "windows 7"`},
		{name: "unicode kept", in: "Jürgen’s Mac – ok ✓", escape: "Jürgen’s Mac – ok ✓", newlines: "Jürgen’s Mac – ok ✓", breaks: "Jürgen’s Mac – ok ✓"},
		{name: "backslash kept", in: `C:\Users\x1b`, escape: `C:\Users\x1b`, newlines: `C:\Users\x1b`, breaks: `C:\Users\x1b`},
		{name: "tab kept", in: "a\tb", escape: "a\tb", newlines: "a\tb", breaks: "a\tb"},
		{name: "colour", in: "\x1b[31mred\x1b[0m", escape: `\x1b[31mred\x1b[0m`, newlines: `\x1b[31mred\x1b[0m`, breaks: `\x1b[31mred\x1b[0m`},
		{name: "bell and osc title", in: "\x1b]0;pwned\x07", escape: `\x1b]0;pwned\a`, newlines: `\x1b]0;pwned\a`, breaks: `\x1b]0;pwned\a`},
		{name: "nul and del", in: "a\x00b\x7fc", escape: `a\x00b\x7fc`, newlines: `a\x00b\x7fc`, breaks: `a\x00b\x7fc`},
		{name: "c1 csi", in: "a\u009b2Jb", escape: `a\u009b2Jb`, newlines: `a\u009b2Jb`, breaks: `a\u009b2Jb`},
		{name: "c1 nel", in: "a\u0085b", escape: `a\u0085b`, newlines: `a\u0085b`, breaks: `a\u0085b`},
		{name: "right-to-left override", in: "evil\u202etxt.exe", escape: `evil\u202etxt.exe`, newlines: `evil\u202etxt.exe`, breaks: `evil\u202etxt.exe`},
		{name: "every bidi control", in: "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
			escape:   `\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069`,
			newlines: `\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069`,
			breaks:   `\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069`},
		{name: "neighbours of bidi kept", in: "\u2029\u202f\u2065\u206a", escape: "\\u2029\u202f\u2065\u206a", newlines: "\\u2029\u202f\u2065\u206a", breaks: "\\u2029\u202f\u2065\u206a"},
		{name: "line separator", in: "a\u2028b", escape: `a\u2028b`, newlines: `a\u2028b`, breaks: `a\u2028b`},
		{name: "invalid utf8", in: "a\xffb\xc3", escape: `a\xffb\xc3`, newlines: `a\xffb\xc3`, breaks: `a\xffb\xc3`},
		{name: "replacement character kept", in: "a\ufffdb", escape: "a\ufffdb", newlines: "a\ufffdb", breaks: "a\ufffdb"},
		{name: "newline", in: "a\nb", escape: `a\nb`, newlines: "a\nb", breaks: "a\nb"},
		{name: "crlf", in: "a\r\nb", escape: `a\r\nb`, newlines: "a\r\nb", breaks: "a\r\nb"},
		{name: "lone carriage return", in: "bad\rok", escape: `bad\rok`, newlines: `bad\rok`, breaks: "bad\rok"},
		{name: "carriage return at the end", in: "a\r", escape: `a\r`, newlines: `a\r`, breaks: "a\r"},
		{name: "forged annotation", in: "x\n::error::forged", escape: `x\n::error::forged`, newlines: "x\n::error::forged", breaks: "x\n::error::forged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, c := range []struct {
				b    Breaks
				want string
			}{{EscapeBreaks, tt.escape}, {KeepNewlines, tt.newlines}, {KeepBreaks, tt.breaks}} {
				got := Escape(tt.in, c.b)
				if got != c.want {
					t.Errorf("Escape(%q, %d) = %q, want %q", tt.in, c.b, got, c.want)
				}
				if again := Escape(got, c.b); again != got {
					t.Errorf("Escape(Escape(%q, %d)) = %q, not the same", tt.in, c.b, again)
				}
			}
		})
	}
}

func TestEscapeDoesNotCopySafeText(t *testing.T) {
	s := strings.Repeat("plain text ", 100)
	if n := testing.AllocsPerRun(10, func() { _ = Escape(s, KeepNewlines) }); n != 0 {
		t.Errorf("Escape of safe text allocates %v times", n)
	}
}

// FuzzEscape checks that no escaped text holds a character that Escape
// promises to escape, that the result is UTF-8 and that escaping is
// idempotent.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"plain", "\x1b[31mred", "a\r\nb\rc\n", "\u202e\u2066x\u2069", "\xff\xc3", "\u009b\u0085\t"} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(1))
		f.Add(s, uint8(2))
	}
	f.Fuzz(func(t *testing.T, s string, mode uint8) {
		b := Breaks(mode % 3)
		got := Escape(s, b)
		if !utf8.ValidString(got) {
			t.Fatalf("Escape(%q, %d) = %q is not UTF-8", s, b, got)
		}
		for i, r := range got {
			if unsafeRune(r) || (b == EscapeBreaks && (r == '\n' || r == '\r')) ||
				(b == KeepNewlines && r == '\r' && !strings.HasPrefix(got[i:], "\r\n")) {
				t.Fatalf("Escape(%q, %d) = %q keeps %U", s, b, got, r)
			}
		}
		if Escape(got, b) != got {
			t.Fatalf("Escape is not idempotent on %q", s)
		}
	})
}

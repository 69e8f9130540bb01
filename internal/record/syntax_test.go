package record

import (
	"strings"
	"testing"
)

// TestSyntaxErrors checks that a YAML syntax error points at the character
// the decoder could not go past (yaml.v3 names a line only, and for some
// errors the line before or the start of the mapping), and says how to fix
// the usual mistakes.
func TestSyntaxErrors(t *testing.T) {
	const fix = "; fix the syntax and check again"
	tests := []struct {
		name string
		src  string
		want string // "line:col: message" after "YAML syntax error: "
	}{
		{"colon in a value", "a: 1\nconcerns: my note: it broke\nb: 2\n",
			`2:18: mapping values are not allowed in this context; a value holding ": " must be quoted: concerns: "my note: it broke"`},
		{"colon in the first line", "concerns: my note: it broke\n",
			`1:18: mapping values are not allowed in this context; a value holding ": " must be quoted: concerns: "my note: it broke"`},
		{"colon in a nested value", "a:\n  x: 1\n  y: a: b\n",
			`3:7: mapping values are not allowed in this context; a value holding ": " must be quoted: y: "a: b"`},
		{"colon after a multibyte character", "a: 1\nconcerns: ünïcode: yes\n",
			`2:18: mapping values are not allowed in this context; a value holding ": " must be quoted: concerns: "ünïcode: yes"`},
		{"at sign", "a: 1\nconcerns: @everyone\n",
			`2:11: found character that cannot start any token; a value starting with @ must be quoted if it is text: concerns: "@everyone"`},
		{"backtick", "a: 1\nconcerns: `rm -rf`\n",
			"2:11: found character that cannot start any token; a value starting with ` must be quoted if it is text: concerns: \"`rm -rf`\""},
		{"percent", "a: 1\nconcerns: %x\n",
			`2:11: found character that cannot start any token; a value starting with % must be quoted if it is text: concerns: "%x"`},
		{"asterisk", "a: 1\nb: * note\n",
			`2:4: did not find expected alphabetic or numeric character; a value starting with * must be quoted if it is text: b: "* note"`},
		{"ampersand", "a: 1\nb: & co\n",
			`2:4: did not find expected alphabetic or numeric character; a value starting with & must be quoted if it is text: b: "& co"`},
		{"pipe", "a: 1\nb: |x\n",
			`2:5: did not find expected comment or line break; a value starting with | must be quoted if it is text: b: "|x"`},
		{"greater than", "a: 1\nb: > x\n",
			`2:6: did not find expected comment or line break; a value starting with > must be quoted if it is text: b: "> x"`},
		{"unclosed bracket", "a: 1\nb: [1, 2\nc: 3\n",
			`2:5: did not find expected ',' or ']'; a value starting with [ must be quoted if it is text: b: "[1, 2"`},
		{"brace", "a: 1\nb: {a: 1}}\n",
			`2:10: did not find expected key; a value starting with { must be quoted if it is text: b: "{a: 1}}"`},
		{"text after a closing quote", "a: 1\nconcerns: \"quoted\" trailing\nb: 2\n",
			`2:20: did not find expected key; text follows the closing quote; quote the whole value: concerns: '"quoted" trailing'`},
		{"text after a single quote", "a: 1\nconcerns: 'x' y\n",
			`2:15: did not find expected key; text follows the closing quote; quote the whole value: concerns: "'x' y"`},
		{"in a list of mappings", "wifi_macs:\n  - mac: x\n    kind: \"burned_in\" extra\n    ssid: y\nz: 1\n",
			`3:23: did not find expected key; text follows the closing quote; quote the whole value: kind: '"burned_in" extra'`},
		{"in a list item", "evidence:\n  - path: @x\n",
			`2:11: found character that cannot start any token; a value starting with @ must be quoted if it is text: - path: "@x"`},
		{"unclosed quote", "period: \"2026-11\"\ndevice: syntax\nos_version: \"10.0.26200\nantivirus: Microsoft Defender\n",
			`3:13: found unexpected end of stream; the quote that starts the value is never closed; close it at the end of the value: os_version: "10.0.26200"`},
		{"unknown escape", "a: 1\nb: \"D:\\docs\"\n",
			`2:7: found unknown escape character; in double quotes a backslash starts an escape; write \\ for a backslash, or use single quotes: b: 'D:\docs'`},
		{"hexadecimal escape", "a: 1\nb: \"C:\\Users\\x\"\n",
			`2:8: did not find expected hexdecimal number; in double quotes a backslash starts an escape; write \\ for a backslash, or use single quotes: b: 'C:\Users\x'`},
		{"indented too far", "a: 1\n  b: 2\n", "2:4: mapping values are not allowed in this context; check the indentation: the fields of one mapping start in the same column"},
		{"indented under a value", "a: 1\nb: x\n c: y\n", "3:3: mapping values are not allowed in this context; check the indentation: the fields of one mapping start in the same column"},
		{"no colon", "a: 1\nbad line\nc: 3\n", "2:1: could not find expected ':'" + fix},
		{"a list in a mapping", "a: 1\n- x\n", "2:1: did not find expected key" + fix},
		{"tab", "a:\n\tb: 1\n", "2:1: found character that cannot start any token; indent with spaces, not tabs"},
		{"in the second document", "a: 1\n---\nb: [\n", `3:4: did not find expected node content; a value starting with [ must be quoted if it is text: b: "["`},
		{"crlf", "a: 1\r\nb: x: y\r\n", `2:5: mapping values are not allowed in this context; a value holding ": " must be quoted: b: "x: y"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, fs := Parse("r.yaml", Report, []byte(tt.src))
			if rec != nil || len(fs) != 1 {
				t.Fatalf("got %v, want one syntax finding", fs)
			}
			want := "r.yaml:" + strings.Replace(tt.want, ": ", ": YAML syntax error: ", 1) + " [file.syntax]"
			if got := fs[0].String(); got != want {
				t.Errorf("got  %s\nwant %s", got, want)
			}
		})
	}
}

// TestSyntaxErrorInALargeFile checks that a file too large to be searched
// still gets the line yaml.v3 names.
func TestSyntaxErrorInALargeFile(t *testing.T) {
	src := strings.Repeat("# padding\n", maxLocate/10+1) + "a: 1\nb: x: y\n"
	_, fs := Parse("r.yaml", Report, []byte(src))
	line := strings.Count(src, "\n")
	if len(fs) != 1 || fs[0].Line != line || fs[0].Column != 1 || !strings.Contains(fs[0].Message, `must be quoted: b: "x: y"`) {
		t.Fatalf("got %v, want one finding at %d:1 that says to quote", fs, line)
	}
}

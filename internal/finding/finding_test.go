package finding

import (
	"slices"
	"testing"
)

func TestRules(t *testing.T) {
	for _, tc := range []struct {
		name string
		fs   []Finding
		want []string
	}{
		{"none", nil, []string{}},
		{"sorted once", []Finding{{Rule: "b"}, {Rule: "a"}, {Rule: "b"}}, []string{"a", "b"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Rules(tc.fs)
			if got == nil || !slices.Equal(got, tc.want) {
				t.Errorf("Rules = %#v, want %#v", got, tc.want)
			}
		})
	}
}

func TestStringEscapes(t *testing.T) {
	tests := []struct {
		name string
		f    Finding
		want string
	}{
		{name: "plain", f: Finding{File: "a.yaml", Line: 2, Column: 3, Rule: "r", Message: "m"}, want: "a.yaml:2:3: m [r]"},
		{name: "colour in a message", f: Finding{File: "a.yaml", Line: 1, Column: 1, Rule: "r", Message: "os \"\x1b[31mred\x1b[0m\""},
			want: `a.yaml:1:1: os "\x1b[31mred\x1b[0m" [r]`},
		{name: "bell, c1, bidi", f: Finding{File: "a\u202e.yaml", Line: 1, Column: 1, Rule: "r", Message: "\x07\u009b"},
			want: `a\u202e.yaml:1:1: \a\u009b [r]`},
		{name: "newline kept in the message only", f: Finding{File: "a\n::error::x.yaml", Line: 1, Column: 1, Rule: "r", Message: "a\nb\rc"},
			want: "a\\n::error::x.yaml:1:1: a\nb\\rc [r]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f.String(); got != tt.want {
				t.Errorf("String = %q, want %q", got, tt.want)
			}
		})
	}
}

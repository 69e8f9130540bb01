package finding

import (
	"fmt"
	"slices"
	"testing"
)

// fnd is a finding of file at line, of a rule and severity.
func fnd(file string, line int, rule string, sev Severity) Finding {
	return Finding{File: file, Line: line, Column: 1, Rule: rule, Severity: sev, Message: fmt.Sprintf("%s at %d", rule, line)}
}

// lines is findings of file at lines from..to, in reverse order.
func lines(file string, from, to int, sev Severity) []Finding {
	var fs []Finding
	for l := to; l >= from; l-- {
		fs = append(fs, fnd(file, l, "r", sev))
	}
	return fs
}

func TestCap(t *testing.T) {
	more := func(file string, line, n int, sev Severity) Finding {
		return TooMany(Finding{File: file, Line: line, Column: 1, Severity: sev}, n)
	}
	tests := []struct {
		name    string
		in      []Finding
		perFile int
		want    []Finding
	}{
		{name: "none", in: nil, perFile: 3, want: []Finding{}},
		{name: "under the cap, sorted", in: lines("a", 1, 3, Deny), perFile: 3, want: Sort(lines("a", 1, 3, Deny))},
		{name: "over the cap", in: lines("a", 1, 5, Deny), perFile: 3,
			want: append(Sort(lines("a", 1, 3, Deny)), more("a", 4, 2, Deny))},
		{name: "one over says one finding", in: lines("a", 1, 4, Warn), perFile: 3,
			want: append(Sort(lines("a", 1, 3, Warn)), Finding{File: "a", Line: 4, Column: 1, Rule: RuleTooMany, Severity: Warn,
				Message: "… and 1 more finding in this file; fix these first"})},
		{name: "per file", in: append(lines("b", 1, 4, Deny), lines("a", 1, 2, Deny)...), perFile: 2,
			want: append(Sort(append(lines("a", 1, 2, Deny), lines("b", 1, 2, Deny)...)), more("b", 3, 2, Deny))},
		{name: "severity of the worst left out", in: append(lines("a", 1, 3, Warn), fnd("a", 9, "r", Deny)), perFile: 2,
			want: append(Sort(lines("a", 1, 2, Warn)), more("a", 3, 2, Deny))},
		{name: "a warning left out is a warning", in: append(lines("a", 2, 3, Deny), fnd("a", 9, "r", Warn)), perFile: 2,
			want: append(Sort(lines("a", 2, 3, Deny)), more("a", 9, 1, Warn))},
		{name: "duplicates dropped first", in: append(lines("a", 1, 3, Deny), lines("a", 1, 3, Deny)...), perFile: 3,
			want: Sort(lines("a", 1, 3, Deny))},
		{name: "an earlier cap is counted", in: append(lines("a", 1, 4, Deny), more("a", 5, 100, Deny)), perFile: 2,
			want: append(Sort(lines("a", 1, 2, Deny)), more("a", 3, 102, Deny))},
		{name: "an earlier cap under the cap is kept", in: append(lines("a", 1, 2, Warn), more("a", 3, 100, Deny)), perFile: 5,
			want: append(Sort(lines("a", 1, 2, Warn)), more("a", 3, 100, Deny))},
		{name: "an earlier cap takes no place", in: append(lines("a", 2, 3, Deny), more("a", 1, 7, Warn)), perFile: 2,
			want: []Finding{more("a", 1, 7, Warn), fnd("a", 2, "r", Deny), fnd("a", 3, "r", Deny)}},
		{name: "a finding of the rule not made by Cap is a finding", in: []Finding{fnd("a", 1, RuleTooMany, Deny), fnd("a", 2, "r", Deny)}, perFile: 1,
			want: []Finding{fnd("a", 1, RuleTooMany, Deny), more("a", 2, 1, Deny)}},
		{name: "no cap", in: lines("a", 1, 5, Deny), perFile: 0, want: Sort(lines("a", 1, 5, Deny))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(tt.in)
			got := Cap(tt.in, tt.perFile)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Cap =\n%v\nwant\n%v", got, tt.want)
			}
			if !slices.Equal(tt.in, in) {
				t.Error("Cap changed its input")
			}
			if again := Cap(got, tt.perFile); !slices.Equal(again, got) {
				t.Errorf("Cap(Cap) =\n%v\nwant\n%v", again, got)
			}
		})
	}
}

func TestTooManyCount(t *testing.T) {
	for _, n := range []int{1, 2, 49950} {
		if got, ok := tooManyCount(TooMany(Finding{}, n).Message); !ok || got != n {
			t.Errorf("tooManyCount(TooMany(%d)) = %d, %t", n, got, ok)
		}
	}
	for _, msg := range []string{"", "… and 0 more findings in this file; fix these first", "… and 2 more finding in this file; fix these first",
		"… and x more findings in this file; fix these first", "… and 2 more findings in this file"} {
		if n, ok := tooManyCount(msg); ok {
			t.Errorf("tooManyCount(%q) = %d, true", msg, n)
		}
	}
}

// BenchmarkCap caps the findings of a report with 50,000 unknown keys.
func BenchmarkCap(b *testing.B) {
	fs := lines("reports/2026-11/d.yaml", 1, 50000, Deny)
	b.ReportAllocs()
	for range b.N {
		if got := Cap(fs, MaxPerFile); len(got) != MaxPerFile+1 {
			b.Fatalf("got %d findings", len(got))
		}
	}
}

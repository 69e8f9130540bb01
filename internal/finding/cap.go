package finding

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// MaxPerFile is how many findings posture shows for one file. A file with
// more is rarely a record that someone wrote by hand (a pasted log, a
// generated dump, a hostile file): its first findings say what is wrong with
// it, and listing every one would only cost time and bury the findings of
// other files. The rest are counted in one finding of RuleTooMany.
const MaxPerFile = 50

// RuleTooMany is the rule of the finding that Cap puts in place of the
// findings of a file it leaves out.
const RuleTooMany = "file.too_many"

// tooManyFormat is the message of a RuleTooMany finding; Cap reads the count
// back from it when it meets one made earlier.
const tooManyFormat = "… and %d more %s in this file; fix these first"

// Cap returns the findings of fs with at most perFile of each file, sorted
// and without exact duplicates, as Sort returns them. fs may be in any order
// and is not changed. Of a file with more than perFile findings, the first
// perFile in Compare order are kept and the others are replaced by one
// finding of RuleTooMany at the place of the first one left out, with the
// severity of the most severe left out, that says how many there are.
//
// A RuleTooMany finding already in fs (from a cap applied to part of a
// file's findings) is not kept as such: the findings it counts are added to
// the count of the new one, so Cap(Cap(fs, n), n) equals Cap(fs, n). With
// perFile < 1 nothing is left out.
func Cap(fs []Finding, perFile int) []Finding {
	fs = Sort(slices.Clone(fs))
	if perFile < 1 {
		return fs
	}
	out := make([]Finding, 0, min(len(fs), 64))
	for start := 0; start < len(fs); {
		end := start + 1
		for end < len(fs) && fs[end].File == fs[start].File {
			end++
		}
		out = capFile(out, fs[start:end], perFile)
		start = end
	}
	return Sort(out)
}

// capFile appends the findings of one file, sorted, to out, capped.
func capFile(out, file []Finding, perFile int) []Finding {
	more, kept := 0, 0
	var first *Finding // the first finding left out, or counted by an earlier cap
	sev := Warn
	leave := func(f *Finding, n int) {
		more += n
		if first == nil || Compare(*f, *first) < 0 {
			first = f
		}
		if f.Severity == Deny {
			sev = Deny
		}
	}
	for i := range file {
		f := &file[i]
		if f.Rule == RuleTooMany {
			if n, ok := tooManyCount(f.Message); ok {
				leave(f, n)
				continue
			}
		}
		if kept < perFile {
			out = append(out, *f)
			kept++
			continue
		}
		leave(f, 1)
	}
	if more == 0 {
		return out
	}
	left := *first
	left.Severity = sev
	return append(out, TooMany(left, more))
}

// TooMany returns the finding that stands for n findings of at's file that
// are left out, at at's place and with at's severity: at is the first
// finding left out, or one as severe as the most severe.
func TooMany(at Finding, n int) Finding {
	noun := "findings"
	if n == 1 {
		noun = "finding"
	}
	return Finding{File: at.File, Line: at.Line, Column: at.Column, Rule: RuleTooMany, Severity: at.Severity,
		Message: fmt.Sprintf(tooManyFormat, n, noun)}
}

// tooManyCount reads the count from the message of a RuleTooMany finding.
func tooManyCount(msg string) (int, bool) {
	rest, ok := strings.CutPrefix(msg, "… and ")
	if !ok {
		return 0, false
	}
	digits, _, _ := strings.Cut(rest, " ")
	n, err := strconv.Atoi(digits)
	if err != nil || n < 1 || msg != TooMany(Finding{}, n).Message {
		return 0, false
	}
	return n, true
}

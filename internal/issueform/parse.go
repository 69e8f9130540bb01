package issueform

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxBody is the longest body read: GitHub's own limit on an issue body.
const MaxBody = 65536

// Empty answers: GitHub writes "_No response_" for a question left blank
// and "None" for a dropdown with nothing chosen.
const (
	noResponse = "_No response_"
	noChoice   = "None"
)

// Problem is something wrong with a submitted form, tied to the question
// it concerns (Field empty for the form as a whole), with what to do.
type Problem struct {
	Field   string // the question's id, or ""
	Message string
}

// Answers are the values of a parsed form, by question id. Checkboxes map
// to the labels ticked, one per line.
type Answers struct {
	Values  map[string]string
	Checked map[string][]string
}

// Get returns the answer to question id, "" when blank.
func (a Answers) Get(id string) string { return a.Values[id] }

// Parse reads a body that GitHub rendered from the form t:
//
//	### <label>
//
//	<answer>
//
// for each question in order, "_No response_" (or "None" for a dropdown)
// for a blank answer, and "- [X] <option>" lines for checkboxes. Lines
// before the first heading are ignored. A heading that appears more than
// once makes the body ambiguous (an answer may contain a line that looks
// like the next question), so it is a problem, not a guess.
func (t *Template) Parse(body string) (Answers, []Problem) {
	a := Answers{Values: map[string]string{}, Checked: map[string][]string{}}
	if len(body) > MaxBody {
		return a, []Problem{{Message: fmt.Sprintf("the issue is %d characters long; a form is at most %d. Shorten the answers", len(body), MaxBody)}}
	}
	if !utf8.ValidString(body) {
		return a, []Problem{{Message: "the issue is not valid UTF-8 text; edit it and retype the answers"}}
	}
	body = strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(body, "\n")
	type mark struct {
		line  int
		field *Field
	}
	var marks []mark
	count := map[string]int{}
	for i, l := range lines {
		if f := t.heading(l); f != nil {
			marks = append(marks, mark{i, f})
			count[f.ID]++
		}
	}
	var probs []Problem
	for _, f := range t.Fields {
		if n := count[f.ID]; n > 1 {
			probs = append(probs, Problem{Field: f.ID, Message: fmt.Sprintf(
				"the heading \"### %s\" appears %d times, so the answers cannot be told apart; edit the issue so that no answer contains a line starting with \"### %s\"", f.Label, n, f.Label)})
		}
	}
	if len(probs) > 0 {
		return a, probs
	}
	for i, m := range marks {
		end := len(lines)
		if i+1 < len(marks) {
			end = marks[i+1].line
		}
		raw := lines[m.line+1 : end]
		if m.field.Type == "checkboxes" {
			a.Checked[m.field.ID] = checked(m.field, raw)
			continue
		}
		v, p := value(m.field, raw)
		a.Values[m.field.ID] = v
		probs = append(probs, p...)
	}
	return a, probs
}

// heading returns the field whose heading line l is, or nil.
func (t *Template) heading(l string) *Field {
	rest, ok := strings.CutPrefix(strings.TrimRight(l, " \t"), "### ")
	if !ok {
		return nil
	}
	rest = strings.TrimSpace(rest)
	for i := range t.Fields {
		if strings.EqualFold(t.Fields[i].Label, rest) {
			return &t.Fields[i]
		}
	}
	return nil
}

// value reads one answer: blank lines around it dropped, a code fence
// around a rendered textarea removed, the empty markers turned into "".
func value(f *Field, raw []string) (string, []Problem) {
	for len(raw) > 0 && strings.TrimSpace(raw[0]) == "" {
		raw = raw[1:]
	}
	for len(raw) > 0 && strings.TrimSpace(raw[len(raw)-1]) == "" {
		raw = raw[:len(raw)-1]
	}
	if f.Render != "" && len(raw) >= 2 && strings.HasPrefix(raw[0], "```") && strings.TrimSpace(raw[len(raw)-1]) == "```" {
		raw = raw[1 : len(raw)-1]
	}
	out := make([]string, len(raw))
	for i, l := range raw {
		out[i] = strings.TrimRight(l, " \t")
	}
	v := strings.Join(out, "\n")
	if v == noResponse || (v == noChoice && f.Type == "dropdown") {
		return "", nil
	}
	var probs []Problem
	if f.Type != "textarea" {
		v = strings.TrimSpace(v)
		if strings.Contains(v, "\n") {
			probs = append(probs, Problem{Field: f.ID, Message: "write this answer on one line"})
		}
	}
	if r, ok := hidden(v); ok {
		probs = append(probs, Problem{Field: f.ID, Message: fmt.Sprintf("the answer holds an invisible control character (U+%04X); retype it without copying from elsewhere", r)})
	}
	if f.Type == "dropdown" && v != "" && !slices.Contains(f.Options, v) {
		probs = append(probs, Problem{Field: f.ID, Message: fmt.Sprintf("choose one of the listed answers (%s)", strings.Join(f.Options, ", "))})
	}
	return v, probs
}

// hidden finds a control or bidirectional-override character, which has
// no place in an answer and can make text read differently than it is.
func hidden(s string) (rune, bool) {
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
		case unicode.IsControl(r), r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0xFEFF:
			return r, true
		}
	}
	return 0, false
}

// checked returns the options of f ticked in a checkboxes answer.
func checked(f *Field, raw []string) []string {
	var out []string
	for _, l := range raw {
		l = strings.TrimSpace(l)
		rest, ok := strings.CutPrefix(l, "- [X] ")
		if !ok {
			rest, ok = strings.CutPrefix(l, "- [x] ")
		}
		if !ok {
			continue
		}
		rest = strings.TrimSpace(rest)
		for _, o := range f.Options {
			if o == rest && !slices.Contains(out, o) {
				out = append(out, o)
			}
		}
	}
	return out
}

// Confirmed returns a problem for each required checkbox left unticked.
func (t *Template) Confirmed(a Answers) []Problem {
	var probs []Problem
	for _, f := range t.Fields {
		for _, o := range f.RequiredOptions {
			if !slices.Contains(a.Checked[f.ID], o) {
				probs = append(probs, Problem{Field: f.ID, Message: fmt.Sprintf("tick %q", o)})
			}
		}
	}
	return probs
}

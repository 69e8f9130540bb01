package record

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/posture-dev/posture/internal/finding"
	"gopkg.in/yaml.v3"
)

var yamlErrLine = regexp.MustCompile(`^yaml: line ([0-9]+): (.*)$`)

// problemOf returns the text of a yaml.v3 error without its "yaml: line N: "
// prefix, and N (0 when the error has none).
func problemOf(err error) (problem string, line int) {
	msg := err.Error()
	if m := yamlErrLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		return m[2], line
	}
	return strings.TrimPrefix(msg, "yaml: "), 0
}

// syntaxFinding turns the yaml.v3 error err about data into a finding at
// the place of the problem, with what to do about it.
func syntaxFinding(path string, data []byte, err error) finding.Finding {
	problem, reported := problemOf(err)
	line, col := locate(data, problem, reported)
	msg := "YAML syntax error: " + problem
	if hint := syntaxHint(lineText(data, line), col, problem); hint != "" {
		msg += "; " + hint
	} else {
		msg += "; fix the syntax and check again"
	}
	return finding.Finding{File: path, Line: line, Column: max(col, 1), Rule: RuleSyntax, Severity: finding.Deny, Message: msg}
}

// maxLocate is the largest file whose syntax error is located by decoding
// its prefixes (see locate); a larger one gets the line yaml.v3 names.
const maxLocate = 64 << 10

// locate finds where in data the YAML problem is; col is 0 when only the
// line is known. yaml.v3 names a line only, and for a parser's error the
// line where the enclosing mapping starts, or the one before the problem:
// so locate decodes prefixes of data and returns the end of the shortest one
// that fails with the same problem, first by whole lines and then within the
// line. The decoder reads in order, so the shortest failing prefix ends at
// the character that it could not go past.
func locate(data []byte, problem string, reported int) (line, col int) {
	if len(data) > maxLocate {
		return max(reported, 1), 0
	}
	same := func(n int) bool { return prefixProblem(data[:n]) == problem }
	// The ends of the lines, newline included.
	var ends []int
	for i, b := range data {
		if b == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(ends) == 0 || ends[len(ends)-1] != len(data) {
		ends = append(ends, len(data))
	}
	l := firstFrom(max(reported-2, 0), len(ends), func(i int) bool { return same(ends[i]) })
	if l == len(ends) {
		return max(reported, 1), 0 // the problem needs the whole file
	}
	start := 0
	if l > 0 {
		start = ends[l-1]
	}
	text := data[start:ends[l]]
	c := sort.Search(len(text), func(i int) bool { return same(start + i + 1) })
	if c >= len(bytes.TrimRight(text, "\r\n")) {
		// Only the end of the line shows the problem: point at the line's
		// first character.
		c = len(text) - len(bytes.TrimLeft(text, " "))
	}
	return l + 1, utf8.RuneCount(text[:c]) + 1
}

// firstFrom returns the smallest i in [lo, n) for which ok holds, or n,
// for an ok that holds from some i on: it tries lo, lo+1, lo+3, lo+7...
// and then searches between the last two, so that the prefixes decoded are
// short when the problem is near lo, which is at most a line or two before
// the line that yaml.v3 names (that line is the problem's, the one before
// it, or the start of the mapping around it).
func firstFrom(lo, n int, ok func(int) bool) int {
	prev, step := lo, 1
	i := lo
	for i < n && !ok(i) {
		prev = i + 1
		i = lo + step
		step *= 2
	}
	i = min(i, n)
	return prev + sort.Search(i-prev, func(j int) bool { return ok(prev + j) })
}

// prefixProblem decodes data as Parse does, the first document and the
// start of a second, and returns the problem of the first error, or "".
func prefixProblem(data []byte) (problem string) {
	defer func() {
		if v := recover(); v != nil {
			problem = fmt.Sprint(v)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for range 2 {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if errors.Is(err, io.EOF) {
				return ""
			}
			problem, _ = problemOf(err)
			return problem
		}
	}
	return ""
}

// lineText returns line n (1-based) of data without its line break.
func lineText(data []byte, n int) string {
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(data, '\n')
		if j < 0 {
			return ""
		}
		data = data[j+1:]
	}
	if j := bytes.IndexByte(data, '\n'); j >= 0 {
		data = data[:j]
	}
	return strings.TrimRight(string(data), "\r")
}

// yamlIndicators are the characters that YAML gives a meaning at the start
// of a plain value.
const yamlIndicators = "@`*&!%{[|>'\"#"

// syntaxHint says how to fix the common syntax errors of a line of
// records, or "": a value holding ": " or starting with one of YAML's
// indicators is read as YAML rather than as text, and must be quoted; a
// quote must be closed and nothing may follow it; a tab cannot indent.
// col is where the problem is on the line, 0 when it is not known.
func syntaxHint(line string, col int, problem string) string {
	if strings.HasPrefix(strings.TrimLeft(line, " "), "\t") {
		return "indent with spaces, not tabs"
	}
	prefix, value := splitField(line)
	if value == "" {
		return ""
	}
	if at := utf8.RuneCountInString(prefix); col > 0 && at >= col {
		if at == col+1 && strings.HasSuffix(prefix, ": ") && strings.HasPrefix(line, " ") && !strings.HasPrefix(strings.TrimLeft(line, " "), "-") {
			return "check the indentation: the fields of one mapping start in the same column"
		}
		return "" // the problem is not in the value
	}
	field := strings.TrimLeft(prefix, " ")
	q := value[:1]
	switch {
	case (q == `"` || q == "'") && strings.Contains(problem, "end of stream"):
		return fmt.Sprintf("the quote that starts the value is never closed; close it at the end of the value: %s%s%s", field, value, q)
	case q == `"` && (strings.Contains(problem, "escape") || strings.Contains(problem, "hexdecimal")):
		return fmt.Sprintf(`in double quotes a backslash starts an escape; write \\ for a backslash, or use single quotes: %s'%s'`,
			field, strings.ReplaceAll(strings.Trim(value, `"`), "'", "''"))
	case q == `"` || q == "'":
		return fmt.Sprintf("text follows the closing quote; quote the whole value: %s%s", field, quote(value))
	case strings.ContainsAny(q, yamlIndicators):
		return fmt.Sprintf("a value starting with %s must be quoted if it is text: %s%s", q, field, quote(value))
	case strings.Contains(value, ": ") || strings.HasSuffix(value, ":"):
		return fmt.Sprintf(`a value holding ": " must be quoted: %s%s`, field, quote(value))
	}
	return ""
}

// splitField splits a line of a block mapping or sequence into what comes
// before its value ("  key: ", "- ", "- key: ") and the value, trimmed;
// value is "" for a line without one.
func splitField(line string) (prefix, value string) {
	i := len(line) - len(strings.TrimLeft(line, " "))
	for strings.HasPrefix(line[i:], "- ") {
		i += 2
		i += len(line[i:]) - len(strings.TrimLeft(line[i:], " "))
	}
	rest := line[i:]
	if rest != "" && !strings.ContainsAny(rest[:1], yamlIndicators) {
		if k := strings.Index(rest, ": "); k > 0 {
			i += k + 2
			i += len(line[i:]) - len(strings.TrimLeft(line[i:], " "))
		}
	}
	return line[:i], strings.TrimRight(line[i:], " ")
}

// quote writes s as a YAML quoted string: in double quotes, or in single
// quotes when it holds a double quote or a backslash, which double quotes
// would need escaped.
func quote(s string) string {
	if !strings.ContainsAny(s, `"\`) {
		return `"` + s + `"`
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

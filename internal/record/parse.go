package record

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/posture-dev/posture/internal/finding"
	"gopkg.in/yaml.v3"
)

// MaxSize is the largest record file posture reads.
const MaxSize = 1 << 20

// MaxNodes is the most keys and values (YAML nodes) a record file may hold.
// The largest honest record, a report with the most evidence the schema
// allows, holds about 150; a file of 1 MiB can hold half a million, which
// cost some 500 bytes each on their way to the policies.
const MaxNodes = 1000

// Rule ids of the findings the parser makes.
const (
	RuleSyntax = "file.syntax"
	RuleSize   = "file.size"
	RuleText   = "file.encoding"
)

// Record is one parsed YAML file. Doc is the top-level mapping node, so that
// every field keeps its line and column; Data is the same content as plain Go
// values (map[string]any, []any, string, bool, json.Number, nil), with every
// scalar that YAML would read as a date or time kept as its text.
type Record struct {
	Path string
	Kind Kind
	Doc  *yaml.Node
	Data map[string]any

	// src is the text the record was parsed from: Compact drops Doc and the
	// positions are read again from src when a finding needs one.
	src []byte
	mu  sync.Mutex
	// keys indexes the keys of Doc's large mappings (see pos.go); guarded
	// by mu and dropped with Doc.
	keys map[*yaml.Node]map[string]int
}

// Compact drops the node tree to save memory; Pos, ValuePos and Text parse
// the source again when they are called. Records held for a whole run (the
// registry) are compacted: only the few with findings need positions.
func (r *Record) Compact() {
	r.mu.Lock()
	r.Doc, r.keys = nil, nil
	r.mu.Unlock()
}

// tree returns the node tree, parsing the source again after Compact.
func (r *Record) tree() *yaml.Node {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Doc == nil && r.src != nil {
		if doc, err := decodeOne(r.src); err == nil {
			r.Doc = rootOf(doc)
		}
	}
	return r.Doc
}

// String returns the text of a top-level string field, or "".
func (r *Record) String(field string) string {
	s, _ := r.Data[field].(string)
	return s
}

// Parse reads one record from untrusted bytes. It never panics; every problem
// with the text comes back as a finding at its place, and rec is nil when the
// content could not be read at all.
func Parse(path string, kind Kind, data []byte) (rec *Record, fs []finding.Finding) {
	defer func() {
		if v := recover(); v != nil {
			rec = nil
			fs = []finding.Finding{finding.At(path, RuleSyntax, finding.Deny, "the file could not be read as YAML (%v); check its syntax", v)}
		}
	}()
	if len(data) > MaxSize {
		return nil, []finding.Finding{finding.At(path, RuleSize, finding.Deny,
			"the file is %d bytes; records are at most %d bytes. Move large evidence to its own file", len(data), MaxSize)}
	}
	if !utf8.Valid(data) {
		line, col := firstInvalidUTF8(data)
		return nil, []finding.Finding{{File: path, Line: line, Column: col, Rule: RuleText, Severity: finding.Deny,
			Message: "the file is not UTF-8 text; save it as UTF-8"}}
	}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		data = data[3:]
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, []finding.Finding{finding.At(path, RuleSyntax, finding.Deny, "the file is empty; write the record's fields")}
		}
		return nil, []finding.Finding{syntaxFinding(path, data, err)}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		line := extra.Line
		return nil, []finding.Finding{{File: path, Line: max(line, 1), Column: 1, Rule: RuleSyntax, Severity: finding.Deny,
			Message: "the file holds more than one YAML document; keep one record per file and remove the '---' separator"}}
	} else if !errors.Is(err, io.EOF) {
		return nil, []finding.Finding{syntaxFinding(path, data, err)}
	}
	root := rootOf(&doc)
	if n, past := countNodes(root); past != nil {
		return nil, []finding.Finding{{File: path, Line: max(past.Line, 1), Column: max(past.Column, 1), Rule: RuleSize, Severity: finding.Deny,
			Message: fmt.Sprintf("the file holds %d keys and values; a record holds a few dozen, and posture reads at most %d. "+
				"Remove what does not belong to the record, from here on", n, MaxNodes)}}
	}
	var p parser
	p.path = path
	p.check(root)
	if len(p.fs) > 0 {
		return nil, p.fs
	}
	if root.Kind != yaml.MappingNode {
		return nil, []finding.Finding{{File: path, Line: root.Line, Column: root.Column, Rule: RuleSyntax, Severity: finding.Deny,
			Message: "the file must be a mapping of field: value lines"}}
	}
	v, err := p.value(root, nil)
	if err != nil || len(p.fs) > 0 {
		return nil, p.fs
	}
	return &Record{Path: path, Kind: kind, Doc: root, Data: v.(map[string]any), src: data}, nil
}

// countNodes counts the nodes of the tree at root and returns the first
// node past MaxNodes in the order of the file, or nil when there is none.
func countNodes(root *yaml.Node) (n int, past *yaml.Node) {
	stack := []*yaml.Node{root}
	for len(stack) > 0 {
		nd := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n++
		if n == MaxNodes+1 {
			past = nd
		}
		for i := len(nd.Content) - 1; i >= 0; i-- {
			stack = append(stack, nd.Content[i])
		}
	}
	return n, past
}

func rootOf(doc *yaml.Node) *yaml.Node {
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		return doc.Content[0]
	}
	return doc
}

// decodeOne decodes the first document of data, already known to be good.
func decodeOne(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		return nil, err
	}
	return &doc, nil
}

func firstInvalidUTF8(data []byte) (line, col int) {
	line, col = 1, 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		data = data[size:]
	}
	return line, col
}

type parser struct {
	path string
	fs   []finding.Finding
}

func (p *parser) add(n *yaml.Node, format string, args ...any) {
	p.fs = append(p.fs, finding.Finding{File: p.path, Line: max(n.Line, 1), Column: max(n.Column, 1),
		Rule: RuleSyntax, Severity: finding.Deny, Message: fmt.Sprintf(format, args...)})
}

// check refuses what records have no use for: anchors, aliases, custom tags
// and duplicate keys.
func (p *parser) check(n *yaml.Node) {
	if n.Kind == yaml.AliasNode {
		p.add(n, "YAML aliases (*%s) are not allowed in records; write the value out", n.Value)
		return
	}
	if n.Anchor != "" {
		p.add(n, "YAML anchors (&%s) are not allowed in records; write each value out", n.Anchor)
	}
	if n.Tag != "" && n.Style&yaml.TaggedStyle != 0 {
		switch n.Tag {
		case "!!str", "!!int", "!!bool", "!!float", "!!null", "!!map", "!!seq":
		default:
			p.add(n, "the YAML tag %s is not allowed in records; remove it", n.Tag)
		}
	}
	if n.Kind == yaml.MappingNode {
		seen := make(map[string]*yaml.Node, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				p.add(k, "keys must be plain names")
				continue
			}
			if first, dup := seen[k.Value]; dup {
				p.add(k, "the key %q is repeated (first on line %d); keep one", k.Value, first.Line)
				continue
			}
			seen[k.Value] = k
		}
	}
	for _, c := range n.Content {
		p.check(c)
	}
}

// value converts a checked node to plain Go values; path is where n stands.
func (p *parser) value(n *yaml.Node, path []string) (any, error) {
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			v, err := p.value(n.Content[i+1], append(path, k))
			if err != nil {
				return nil, err
			}
			m[k] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, c := range n.Content {
			v, err := p.value(c, append(path, strconv.Itoa(i)))
			if err != nil {
				return nil, err
			}
			s[i] = v
		}
		return s, nil
	case yaml.ScalarNode:
		return p.scalar(n, path)
	}
	p.add(n, "unexpected YAML node")
	return nil, errBad
}

var errBad = errors.New("bad node")

// decimal is how records write numbers: YAML 1.2's decimal integers and
// fractions, with no leading zeros. yaml.v3 also reads YAML 1.1's octal 017
// (as 15), 0x, 0o and 0b numbers, underscores (1_0 as 10) and exponents.
var decimal = regexp.MustCompile(`^[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?$`)

func (p *parser) scalar(n *yaml.Node, path []string) (any, error) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			p.add(n, "%q is not a boolean; write true or false", n.Value)
			return nil, errBad
		}
		return b, nil
	case "!!int":
		var i int64
		if err := n.Decode(&i); err != nil {
			p.add(n, "%s %s is out of range; write a smaller number, or quote it if it is text", fieldName(path), n.Value)
			return nil, errBad
		}
		if !decimal.MatchString(n.Value) || strings.Contains(n.Value, ".") {
			p.notDecimal(n, path, decimalInt(n.Value, i))
			return nil, errBad
		}
		return json.Number(strconv.FormatInt(i, 10)), nil
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			p.add(n, "%s %s is not a finite number; write a decimal number, or quote it if it is text", fieldName(path), n.Value)
			return nil, errBad
		}
		if !decimal.MatchString(n.Value) {
			p.notDecimal(n, path, strconv.FormatFloat(f, 'f', -1, 64))
			return nil, errBad
		}
		return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
	default:
		// !!str, !!timestamp and anything else plain: the text as written.
		return n.Value, nil
	}
}

// notDecimal reports a number not written in decimal, and the decimal
// number to write instead.
func (p *parser) notDecimal(n *yaml.Node, path []string, suggest string) {
	p.add(n, "%s %s is not a decimal number; write %s, or %q in quotes if it is text "+
		"(posture reads YAML 1.2 decimal numbers: no leading zeros, octal, hex, binary, exponents or underscores)",
		fieldName(path), n.Value, suggest, n.Value)
}

// decimalInt is the decimal number that the writer of the integer text
// meant: 017 and 1_7 as 17, and 0x11, 0o21 and 0b10001 (where YAML 1.2 is
// clear) as 17. v is what yaml.v3 read.
func decimalInt(text string, v int64) string {
	body := strings.TrimLeft(text, "+-")
	sign := text[:len(text)-len(body)]
	if sign == "+" {
		sign = ""
	}
	body = strings.ReplaceAll(body, "_", "")
	if len(body) > 1 && body[0] == '0' && strings.ContainsAny(body[1:2], "xXoObB") {
		return strconv.FormatInt(v, 10)
	}
	body = strings.TrimLeft(body, "0")
	if body == "" {
		return "0"
	}
	return sign + body
}

// fieldName names the field at path as messages do: its steps joined by
// dots.
func fieldName(path []string) string {
	if len(path) == 0 {
		return "the value"
	}
	return strings.Join(path, ".")
}

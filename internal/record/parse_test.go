package record

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // "line:col: substring" of each finding, in order; nil = clean
	}{
		{name: "clean", src: "period: \"2026-11\"\ndevice: d-1\n"},
		{name: "syntax error", src: "period: \"2026-11\"\ndevice: d-1\n  bad: [\n", want: []string{"YAML syntax error"}},
		{name: "duplicate key", src: "device: a\nperiod: b\ndevice: c\n", want: []string{"3:1: the key \"device\" is repeated (first on line 1)"}},
		{name: "anchor and alias", src: "a: &x 1\nb: *x\n", want: []string{"1:4: YAML anchors (&x)", "2:4: YAML aliases (*x)"}},
		{name: "merge key", src: "base: &b {a: 1}\nc:\n  <<: *b\n", want: []string{"1:7: YAML anchors", "3:7: YAML aliases"}},
		{name: "two documents", src: "a: 1\n---\nb: 2\n", want: []string{"2:1: more than one YAML document"}},
		{name: "not a mapping", src: "- a\n- b\n", want: []string{"1:1: the file must be a mapping"}},
		{name: "empty", src: "", want: []string{"1:1: the file is empty"}},
		{name: "only a comment", src: "# nothing\n", want: []string{"1:1: the file is empty"}},
		{name: "custom tag", src: "a: !secret x\n", want: []string{"1:4: the YAML tag !secret is not allowed"}},
		{name: "binary tag", src: "a: !!binary aGVsbG8=\n", want: []string{"1:4: the YAML tag !!binary"}},
		{name: "non-utf8", src: "a: 1\nb: \xff\n", want: []string{"2:4: not UTF-8"}},
		{name: "infinite float", src: "a: .inf\n", want: []string{"1:4: a .inf is not a finite number; write a decimal number, or quote it if it is text"}},
		{name: "not a number", src: "a: .NaN\n", want: []string{"1:4: a .NaN is not a finite number"}},
		{name: "tabs", src: "a:\n\tb: 1\n", want: []string{"YAML syntax error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, fs := Parse("r.yaml", Report, []byte(tt.src))
			if len(fs) != len(tt.want) {
				t.Fatalf("got %d findings %v, want %d %v", len(fs), fs, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				got := strings.TrimPrefix(fs[i].String(), "r.yaml:")
				if !strings.Contains(got, w) && !strings.HasPrefix(got, w) {
					if pos, msg, ok := strings.Cut(w, ": "); ok && strings.HasPrefix(got, pos) && strings.Contains(got, msg) {
						continue
					}
					t.Errorf("finding %d = %q, want %q", i, got, w)
				}
			}
			if len(tt.want) == 0 && rec == nil {
				t.Fatal("clean file gave no record")
			}
			if len(tt.want) > 0 && rec != nil {
				t.Fatal("bad file gave a record")
			}
		})
	}
}

func TestParseKeepsScalarText(t *testing.T) {
	src := "last_full_scan: 2026-08-01\nat: 2026-08-01T10:00:00Z\nversion: \"14.1\"\nn: 16\nf: 1.50\nok: true\nnone: ~\nmac: 3c:22:fb:12:34:56\n"
	rec, fs := Parse("r.yaml", Report, []byte(src))
	if len(fs) > 0 {
		t.Fatal(fs)
	}
	want := map[string]any{
		"last_full_scan": "2026-08-01", // not a time.Time: see STYLE.md
		"at":             "2026-08-01T10:00:00Z",
		"version":        "14.1",
		"n":              json.Number("16"),
		"f":              json.Number("1.5"),
		"ok":             true,
		"none":           nil,
		"mac":            "3c:22:fb:12:34:56",
	}
	for k, v := range want {
		if rec.Data[k] != v {
			t.Errorf("%s = %#v (%T), want %#v", k, rec.Data[k], rec.Data[k], v)
		}
	}
}

// TestParseDecimalNumbers checks that records hold YAML 1.2 decimal numbers
// only: yaml.v3 reads 017 as 15, and 0b1010 and 1_0 as 10.
func TestParseDecimalNumbers(t *testing.T) {
	const why = " (posture reads YAML 1.2 decimal numbers: no leading zeros, octal, hex, binary, exponents or underscores)"
	tests := []struct {
		text string
		want any    // the value read, or nil for a finding
		msg  string // the finding's message, after "screen_lock_minutes "
	}{
		{text: "17", want: json.Number("17")},
		{text: "0", want: json.Number("0")},
		{text: "-3", want: json.Number("-3")},
		{text: "+5", want: json.Number("5")},
		{text: "-0", want: json.Number("0")},
		{text: "10.0", want: json.Number("10")},
		{text: "0.25", want: json.Number("0.25")},
		{text: "-1.5", want: json.Number("-1.5")},
		{text: `"017"`, want: "017"},
		{text: "!!int 17", want: json.Number("17")},
		{text: "017", msg: `017 is not a decimal number; write 17, or "017" in quotes if it is text` + why},
		{text: "-017", msg: `-017 is not a decimal number; write -17, or "-017" in quotes if it is text` + why},
		{text: "00", msg: `00 is not a decimal number; write 0, or "00" in quotes if it is text` + why},
		{text: "08", msg: `08 is not a decimal number; write 8, or "08" in quotes if it is text` + why},
		{text: "0b1010", msg: `0b1010 is not a decimal number; write 10, or "0b1010" in quotes if it is text` + why},
		{text: "-0b1010", msg: `-0b1010 is not a decimal number; write -10, or "-0b1010" in quotes if it is text` + why},
		{text: "1_0", msg: `1_0 is not a decimal number; write 10, or "1_0" in quotes if it is text` + why},
		{text: "0x1F", msg: `0x1F is not a decimal number; write 31, or "0x1F" in quotes if it is text` + why},
		{text: "0o17", msg: `0o17 is not a decimal number; write 15, or "0o17" in quotes if it is text` + why},
		{text: "!!int 017", msg: `017 is not a decimal number; write 17, or "017" in quotes if it is text` + why},
		{text: "1e3", msg: `1e3 is not a decimal number; write 1000, or "1e3" in quotes if it is text` + why},
		{text: "1.5E+2", msg: `1.5E+2 is not a decimal number; write 150, or "1.5E+2" in quotes if it is text` + why},
		{text: ".5", msg: `.5 is not a decimal number; write 0.5, or ".5" in quotes if it is text` + why},
		{text: "1.", msg: `1. is not a decimal number; write 1, or "1." in quotes if it is text` + why},
		{text: "017.5", msg: `017.5 is not a decimal number; write 17.5, or "017.5" in quotes if it is text` + why},
		{text: "1_0.5", msg: `1_0.5 is not a decimal number; write 10.5, or "1_0.5" in quotes if it is text` + why},
		{text: ".inf", msg: `.inf is not a finite number; write a decimal number, or quote it if it is text`},
		{text: "-.Inf", msg: `-.Inf is not a finite number; write a decimal number, or quote it if it is text`},
		{text: ".nan", msg: `.nan is not a finite number; write a decimal number, or quote it if it is text`},
		{text: "18446744073709551615", msg: `18446744073709551615 is out of range; write a smaller number, or quote it if it is text`},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			rec, fs := Parse("r.yaml", Report, []byte("device: d-1\nscreen_lock_minutes: "+tt.text+"\n"))
			if tt.msg == "" {
				if len(fs) > 0 {
					t.Fatalf("findings %v, want %v", fs, tt.want)
				}
				if got := rec.Data["screen_lock_minutes"]; got != tt.want {
					t.Fatalf("read %#v, want %#v", got, tt.want)
				}
				return
			}
			want := "r.yaml:2:22: screen_lock_minutes " + tt.msg + " [file.syntax]"
			if len(fs) != 1 || fs[0].String() != want {
				t.Fatalf("findings %v, want one:\n%s", fs, want)
			}
		})
	}
	// A number in a list says where it stands.
	_, fs := Parse("posture.yaml", "", []byte("protected_paths:\n  - a\n  - 0x10\n"))
	if len(fs) != 1 || !strings.HasPrefix(fs[0].String(), "posture.yaml:3:5: protected_paths.1 0x10 is not a decimal number; write 16,") {
		t.Errorf("findings %v, want one for protected_paths.1", fs)
	}
}

// TestParseNodeLimit checks that a file of more than MaxNodes keys and
// values is refused at the first one past the limit.
func TestParseNodeLimit(t *testing.T) {
	list := func(n int) string { // the root, a key, the list and its n items
		return "items: [" + strings.TrimSuffix(strings.Repeat("x, ", n), ", ") + "]\n"
	}
	if _, fs := Parse("r.yaml", Report, []byte(list(MaxNodes-3))); len(fs) > 0 {
		t.Fatalf("a file of MaxNodes nodes: %v", fs)
	}
	_, fs := Parse("r.yaml", Report, []byte(list(MaxNodes-2)))
	want := fmt.Sprintf("r.yaml:1:%d: the file holds %d keys and values; a record holds a few dozen, and posture reads at most %d. "+
		"Remove what does not belong to the record, from here on [file.size]", len("items: [")+3*(MaxNodes-3)+1, MaxNodes+1, MaxNodes)
	if len(fs) != 1 || fs[0].String() != want {
		t.Fatalf("got %v, want\n%s", fs, want)
	}
	var nested strings.Builder
	for i := range MaxNodes {
		fmt.Fprintf(&nested, "%sk%d:\n", strings.Repeat("  ", i%50), i)
	}
	_, fs = Parse("r.yaml", Report, []byte(nested.String()))
	if len(fs) != 1 || fs[0].Rule != RuleSize || !strings.Contains(fs[0].Message, fmt.Sprintf("holds %d keys and values", 2*MaxNodes+1)) {
		t.Fatalf("nested mappings: %v", fs)
	}
}

func TestParseSize(t *testing.T) {
	big := "concerns: \"" + strings.Repeat("x", MaxSize) + "\"\n"
	_, fs := Parse("r.yaml", Report, []byte(big))
	if len(fs) != 1 || fs[0].Rule != RuleSize {
		t.Fatalf("got %v, want one %s finding", fs, RuleSize)
	}
}

func TestPos(t *testing.T) {
	src := "period: \"2026-11\"\nwifi_macs:\n  - mac: a\n    kind: b\n  - mac: c\nnested:\n  deep:\n    x: 1\nempty:\nnull: ~\nflow: [1, 2]\ntext: |\n  a\n"
	rec, fs := Parse("r.yaml", Device, []byte(src))
	if len(fs) > 0 {
		t.Fatal(fs)
	}
	tests := []struct {
		path            []string
		line, col       int // Pos
		keyLine, keyCol int // KeyPos
	}{
		{nil, 1, 1, 1, 1},
		{[]string{"period"}, 1, 9, 1, 1},
		{[]string{"wifi_macs"}, 2, 1, 2, 1},
		{[]string{"wifi_macs", "0"}, 3, 5, 3, 5},
		{[]string{"wifi_macs", "0", "kind"}, 4, 11, 4, 5},
		{[]string{"wifi_macs", "1", "mac"}, 5, 10, 5, 5},
		{[]string{"wifi_macs", "7", "mac"}, 2, 1, 2, 1},
		{[]string{"nested", "deep", "x"}, 8, 8, 8, 5},
		{[]string{"nested", "deep"}, 7, 3, 7, 3},
		{[]string{"missing"}, 1, 1, 1, 1},
		{[]string{"nested", "missing"}, 6, 1, 6, 1},
		{[]string{"empty"}, 9, 1, 9, 1},
		{[]string{"null"}, 10, 7, 10, 1},
		{[]string{"flow"}, 11, 7, 11, 1},
		{[]string{"flow", "1"}, 11, 11, 11, 11},
		{[]string{"text"}, 12, 7, 12, 1},
	}
	for _, tt := range tests {
		if line, col := rec.Pos(tt.path...); line != tt.line || col != tt.col {
			t.Errorf("Pos(%v) = %d:%d, want %d:%d", tt.path, line, col, tt.line, tt.col)
		}
		if line, col := rec.KeyPos(tt.path...); line != tt.keyLine || col != tt.keyCol {
			t.Errorf("KeyPos(%v) = %d:%d, want %d:%d", tt.path, line, col, tt.keyLine, tt.keyCol)
		}
	}
	if line, col := rec.ValuePos("period"); line != 1 || col != 9 {
		t.Errorf("ValuePos(period) = %d:%d, want 1:9", line, col)
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		path    string
		kind    Kind
		ok      bool
		problem string
	}{
		{"people/e1.yaml", Person, true, ""},
		{"devices/d-1.yaml", Device, true, ""},
		{"reports/2026-11/d-1.yaml", Report, true, ""},
		{"policies/exceptions/x-1.yaml", Exception, true, ""},
		{"policies/config/data.yaml", "", false, ""},
		{"reports/2026-11/evidence/shot.png", "", false, ""},
		{"reports/2026-11/evidence/notes.yaml", "", false, ""},
		{"reports/README.md", "", false, ""},
		{"people/E1.yaml", Person, true, "not a valid id"},
		{"people/e1.yml", Person, true, "rename it to people/e1.yaml"},
		{"reports/d-1.yaml", Report, true, "a folder per month"},
		{"reports/2026-13/d-1.yaml", Report, true, "is not a period"},
		{"reports/november/d-1.yaml", Report, true, "is not a period"},
		{"README.md", "", false, ""},
		{"people/.hidden.yaml", "", false, ""},
	}
	for _, tt := range tests {
		k, ok, problem := Classify(tt.path)
		if k != tt.kind || ok != tt.ok || (tt.problem == "") != (problem == "") || !strings.Contains(problem, tt.problem) {
			t.Errorf("Classify(%q) = %q, %v, %q; want %q, %v, %q", tt.path, k, ok, problem, tt.kind, tt.ok, tt.problem)
		}
	}
}

// FuzzParse feeds arbitrary text to the parser: it must never panic, and a
// record it returns must have positions for all its fields.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"../../testdata/demo/reports/2026-11", "../../testdata/demo/devices", "../../testdata/demo/people", "../../testdata/bad/reports/2026-11"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte("a: 1\n---\n"))
	for _, src := range []string{"a: 1\nconcerns: my note: it broke\n", "a: @x\n", "a: \"x\" y\n", "a: \"open\nb: 1\n", "a: [1,\n", "a: 017\n", "b: 1e3\n"} {
		f.Add([]byte(src))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, fs := Parse("f.yaml", Report, data)
		if rec == nil && len(fs) == 0 {
			t.Fatal("no record and no finding")
		}
		for _, f := range fs {
			if f.Line < 1 || f.Column < 1 || f.Message == "" {
				t.Fatalf("bad finding %+v", f)
			}
			if f.Rule == RuleSyntax && f.Line > bytes.Count(data, []byte("\n"))+1 {
				t.Fatalf("finding %+v past the end of the file", f)
			}
		}
		if rec != nil {
			for k := range rec.Data {
				if line, col := rec.Pos(k); line < 1 || col < 1 {
					t.Fatalf("Pos(%q) = %d:%d", k, line, col)
				}
			}
		}
	})
}

func TestCompactKeepsPositions(t *testing.T) {
	src := "period: \"2026-11\"\nwifi_macs:\n  - mac: a\n    kind: b\n"
	rec, fs := Parse("r.yaml", Device, []byte(src))
	if len(fs) > 0 {
		t.Fatal(fs)
	}
	before, _ := rec.Pos("wifi_macs", "0", "kind")
	rec.Compact()
	if rec.Doc != nil {
		t.Fatal("Compact kept the tree")
	}
	if after, col := rec.Pos("wifi_macs", "0", "kind"); after != before || after != 4 || col != 11 {
		t.Errorf("after Compact: %d:%d, want %d:11", after, col, before)
	}
	if got := rec.Text("period"); got != "2026-11" {
		t.Errorf("Text after Compact = %q", got)
	}
}

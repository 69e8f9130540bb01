package issueform

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/record"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// registry returns the devices of a copy of the demo organisation
// (testdata/demo) and a reader of its files.
func registry(t testing.TB) Context {
	t.Helper()
	devices := map[string]*record.Record{}
	paths, _ := filepath.Glob("../../testdata/demo/devices/*.yaml")
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rel := "devices/" + filepath.Base(p)
		rec, fs := record.Parse(rel, record.Device, data)
		if rec == nil {
			t.Fatalf("%s: %v", p, fs)
		}
		devices[record.IDOf(rel)] = rec
	}
	return Context{Person: "e1004", Today: "2026-11-20", Devices: devices,
		ReadFile: func(p string) ([]byte, error) { return os.ReadFile(filepath.Join("..", "..", "testdata", "demo", p)) }}
}

func TestBuildGolden(t *testing.T) {
	for _, tc := range []struct {
		kind   Kind
		body   string
		path   string
		golden string
	}{
		{Report, "report-ok.md", "reports/2026-11/d-e1004-laptop.yaml", "report-ok.yaml"},
		{Report, "report-hostile.md", "reports/2026-11/d-e1004-laptop.yaml", "report-hostile.yaml"},
		{Register, "register-ok.md", "devices/d-e1004-phone.yaml", "register-ok.yaml"},
		{Retire, "retire-ok.md", "devices/d-e1004-tablet.yaml", "retire-ok.yaml"},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			tpl := loadTemplate(t, tc.kind)
			a, probs := tpl.Parse(readBody(t, tc.body))
			if len(probs) > 0 {
				t.Fatalf("parse: %v", probs)
			}
			rec, probs, err := Build(tpl, a, registry(t))
			if err != nil || len(probs) > 0 {
				t.Fatalf("build: %v %v", err, probs)
			}
			if rec.Path != tc.path {
				t.Errorf("path %s, want %s", rec.Path, tc.path)
			}
			golden := filepath.Join("testdata", tc.golden)
			if *update {
				os.WriteFile(golden, rec.Content, 0o644)
			}
			want, _ := os.ReadFile(golden)
			if string(rec.Content) != string(want) {
				t.Errorf("content:\n%s\nwant:\n%s", rec.Content, want)
			}
			parsed, fs := record.Parse(rec.Path, rec.Kind, rec.Content)
			if parsed == nil {
				t.Fatalf("the record does not parse: %v", fs)
			}
			if tc.kind != Retire && parsed.String("owner")+parsed.String("reporter") != "e1004" {
				t.Errorf("the record names %q/%q, not the submitter", parsed.String("owner"), parsed.String("reporter"))
			}
		})
	}
}

func TestBuildKeepsAnswersAsText(t *testing.T) {
	tpl := loadTemplate(t, Report)
	a, _ := tpl.Parse(readBody(t, "report-hostile.md"))
	rec, _, err := Build(tpl, a, registry(t))
	if err != nil {
		t.Fatal(err)
	}
	parsed, _ := record.Parse(rec.Path, rec.Kind, rec.Content)
	if parsed.String("concerns") != a.Get("concerns") || parsed.String("antivirus") != a.Get("antivirus") {
		t.Errorf("answers changed on the way to YAML:\n%s", rec.Content)
	}
	if parsed.String("reporter") != "e1004" {
		t.Errorf("reporter %q: text in an answer set a field", parsed.String("reporter"))
	}
}

func TestBuildProblems(t *testing.T) {
	ctx := registry(t)
	for _, tc := range []struct {
		name string
		kind Kind
		body string
		edit func(string) string
		want string
	}{
		{"unticked", Report, "report-ios-empty.md", nil, `tick "These answers are what the device shows today."`},
		{"bad period", Report, "report-ok.md", func(s string) string { return strings.Replace(s, "2026-11\n", "November\n", 1) }, `"November" is not a month`},
		{"no device", Report, "report-ok.md", func(s string) string { return strings.Replace(s, "d-e1004-laptop", "_No response_", 1) }, "the answer is blank"},
		{"device id taken", Register, "register-ok.md", func(s string) string { return strings.Replace(s, "phone", "laptop", 1) }, `a device "d-e1004-laptop" is registered already`},
		{"bad device id", Register, "register-ok.md", func(s string) string {
			return strings.Replace(s, "### Device id\n\n_No response_", "### Device id\n\nMy Phone", 1)
		}, `"My Phone" is not a device id`},
		{"someone else's device", Retire, "retire-ok.md", func(s string) string { return strings.Replace(s, "d-e1004-tablet", "d-e1001-laptop", 1) }, "belongs to e1001, not to you (e1004)"},
		{"unknown device", Retire, "retire-ok.md", func(s string) string { return strings.Replace(s, "d-e1004-tablet", "d-nope", 1) }, `no device "d-nope" is registered`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tpl := loadTemplate(t, tc.kind)
			body := readBody(t, tc.body)
			if tc.edit != nil {
				body = tc.edit(body)
			}
			a, probs := tpl.Parse(body)
			if len(probs) > 0 {
				t.Fatalf("parse: %v", probs)
			}
			rec, probs, err := Build(tpl, a, ctx)
			if err != nil || rec != nil || len(probs) != 1 || !strings.Contains(probs[0].Message, tc.want) {
				t.Errorf("got %v, %v, %v; want one problem saying %q", rec, probs, err, tc.want)
			}
		})
	}
}

func TestFieldOf(t *testing.T) {
	tpl := loadTemplate(t, Register)
	a, _ := tpl.Parse(readBody(t, "register-ok.md"))
	rec, _, err := Build(tpl, a, registry(t))
	if err != nil {
		t.Fatal(err)
	}
	parsed, _ := record.Parse(rec.Path, rec.Kind, rec.Content)
	for field, want := range map[string]string{"model": "model", "mac": "mac"} {
		path := []string{field}
		if field == "mac" {
			path = []string{"wifi_macs", "0", "mac"}
		}
		line, _ := parsed.Pos(path...)
		if got := rec.FieldOf(finding.Finding{Line: line, Message: "x"}); got != want {
			t.Errorf("line %d: %q, want %q", line, got, want)
		}
	}
	if got := rec.FieldOf(finding.Finding{Line: 1, Message: `missing required field "os_version"; add it`}); got != "os_version" {
		t.Errorf("missing field: %q", got)
	}
}

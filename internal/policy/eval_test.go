package policy

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/posture-dev/posture/internal/record"
)

const refDate = "2026-11-22"

// testdata holds a small repository: people/, devices/ and reports/, with
// dates unquoted as people write them.
var testdata = os.DirFS("testdata")

// file returns the text of a file under testdata.
func file(t testing.TB, name string) string {
	t.Helper()
	b, err := fs.ReadFile(testdata, name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func parse(t testing.TB, path, src string) map[string]any {
	t.Helper()
	kind, _, problem := record.Classify(path)
	if problem != "" {
		t.Fatalf("%s: %s", path, problem)
	}
	rec, problems := record.Parse(path, kind, []byte(src))
	if len(problems) > 0 {
		t.Fatalf("parse %s: %v", path, problems)
	}
	return rec.Data
}

// replace swaps one line "key: ..." of a YAML text.
func replace(src, key, value string) string {
	var out []string
	for line := range strings.Lines(src) {
		if strings.HasPrefix(line, key+":") {
			line = key + ": " + value + "\n"
		}
		out = append(out, line)
	}
	return strings.Join(out, "")
}

func prepare(t testing.TB) *Prepared {
	t.Helper()
	e, err := Load(shipped(t, nil), policyDir)
	if err != nil {
		t.Fatal(err)
	}
	people, devices := map[string]any{}, map[string]any{}
	for _, dir := range []string{"people", "devices"} {
		names, err := fs.Glob(testdata, dir+"/*.yaml")
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			data := parse(t, name, file(t, name))
			if dir == "people" {
				people[data["id"].(string)] = data
			} else {
				devices[data["id"].(string)] = data
			}
		}
	}
	p, err := e.Prepare(context.Background(), map[string]any{
		"settings": map[string]any{"organization": "Example", "report_due_day": json.Number("10")},
		"registry": map[string]any{"people": people, "devices": devices},
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestEval(t *testing.T) {
	p := prepare(t)
	winReport := file(t, "reports/2026-11/d-win.yaml")
	iosReport := file(t, "reports/2026-11/d-ios.yaml")
	winDevice := file(t, "devices/d-win.yaml")
	tests := []struct {
		name, path, src string
		want            []string // rule ids, sorted
	}{
		{name: "clean windows report", path: "reports/2026-11/d-win.yaml", src: winReport},
		{name: "clean ios report", path: "reports/2026-11/d-ios.yaml", src: iosReport},
		{
			name: "unquoted old full scan date",
			path: "reports/2026-11/d-win.yaml", src: replace(winReport, "last_full_scan", "2026-08-01"),
			want: []string{"scan.full_age"},
		},
		{
			name: "not_applicable on windows",
			path: "reports/2026-11/d-win.yaml", src: replace(replace(replace(iosReport, "device", "d-win"), "wifi_mac", "00:1b:21:3a:4b:5c"), "os_version", `"10.0.26200"`),
			want: []string{"scan.antivirus_required"},
		},
		{
			name: "randomised MAC",
			path: "reports/2026-11/d-win.yaml", src: replace(winReport, "wifi_mac", "5e:d1:93:0c:44:01"),
			want: []string{"mac.private"},
		},
		{
			name: "screen lock as json.Number above the limit",
			path: "reports/2026-11/d-win.yaml", src: replace(winReport, "screen_lock_minutes", "30"),
			want: []string{"device.screen_lock"},
		},
		{
			name: "stale signatures only warn",
			path: "reports/2026-11/d-win.yaml", src: replace(winReport, "signatures_updated", "2026-11-17"),
			want: []string{"scan.signatures_fresh"},
		},
		{
			name: "device with another device's MAC",
			path: "devices/d-new.yaml", src: replace(replace(winDevice, "id", "d-new"), "registered", "2026-11-01"),
			want: []string{"device.mac_unique"},
		},
		{name: "registered device unchanged", path: "devices/d-win.yaml", src: winDevice},
		{
			name: "person supervising themself",
			path: "people/bob.yaml", src: file(t, "people/bob.yaml") + "supervisor: bob\n",
			want: []string{"person.supervisor"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind, _, _ := record.Classify(tt.path)
			vs, err := p.Eval(context.Background(), Input{Kind: string(kind), Path: tt.path, RefDate: refDate, Record: parse(t, tt.path, tt.src)})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range vs {
				got = append(got, v.Rule)
				if v.Title == "" || v.Message == "" || len(v.Field) == 0 {
					t.Errorf("incomplete violation %+v", v)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("rules = %q, want %q\n%v", got, tt.want, vs)
			}
		})
	}
}

func TestEvalViolation(t *testing.T) {
	p := prepare(t)
	path := "reports/2026-11/d-win.yaml"
	vs, err := p.Eval(context.Background(), Input{Kind: "report", Path: path, RefDate: refDate,
		Record: parse(t, path, replace(file(t, path), "last_full_scan", "2026-09-21"))})
	if err != nil {
		t.Fatal(err)
	}
	want := []Violation{{
		Rule: "scan.full_age", Severity: "deny", Title: "Recent full scan", Field: []string{"last_full_scan"},
		Message: `last_full_scan "2026-09-21" is 62 days before the report date 2026-11-22; the limit is 35 days. Run a full scan and report again.`,
	}}
	if fmt.Sprint(vs) != fmt.Sprint(want) {
		t.Errorf("Eval =\n%+v\nwant\n%+v", vs, want)
	}
}

// An empty report must fail loudly, not pass because every field is
// undefined.
func TestEvalEmptyRecord(t *testing.T) {
	p := prepare(t)
	vs, err := p.Eval(context.Background(), Input{Kind: "report", Path: "reports/2026-11/d-win.yaml", RefDate: refDate})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, v := range vs {
		got[v.Rule] = true
	}
	for _, want := range []string{"report.path", "report.reporter_active", "device.encryption", "device.screen_lock", "device.jailbreak", "mac.format"} {
		if !got[want] {
			t.Errorf("an empty report has no %s violation; got %v", want, vs)
		}
	}
}

func TestEvalBadRefDate(t *testing.T) {
	p := prepare(t)
	for _, d := range []string{"", "2026-11-22T00:00:00Z", "22.11.2026"} {
		if _, err := p.Eval(context.Background(), Input{Kind: "report", Path: "x", RefDate: d}); err == nil {
			t.Errorf("Eval with ref date %q succeeded", d)
		}
	}
}

func TestEvalConcurrent(t *testing.T) {
	p := prepare(t)
	path := "reports/2026-11/d-win.yaml"
	rec := parse(t, path, replace(file(t, path), "last_full_scan", "2026-08-01"))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				vs, err := p.Eval(context.Background(), Input{Kind: "report", Path: path, RefDate: refDate, Record: rec})
				if err != nil || len(vs) != 1 || vs[0].Rule != "scan.full_age" {
					t.Errorf("Eval = %v, %v", vs, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestGather(t *testing.T) {
	index := ast.MustParseTerm(`{"groups": {["macs", "aa", "d1"], ["macs", "aa", "d2"], ["macs", "bb", "d3"], ["logins", "x", "p1"]}, "supervises": {"p1": {"p2"}}}`)
	got, err := gather(index)
	if err != nil {
		t.Fatal(err)
	}
	want := ast.MustParseTerm(`{"macs": {"aa": {"d1", "d2"}, "bb": {"d3"}}, "logins": {"x": {"p1"}}, "supervises": {"p1": {"p2"}}}`)
	if !got.Equal(want) {
		t.Errorf("gather = %v, want %v", got, want)
	}
	if _, err := gather(ast.MustParseTerm(`{"groups": {["macs", "aa"]}}`)); err == nil {
		t.Error("a pair instead of a triple was accepted")
	}
}

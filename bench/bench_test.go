package main

import (
	"slices"
	"testing"
	"time"

	"github.com/posture-dev/posture/internal/synth"
)

func TestParsers(t *testing.T) {
	tests := []struct {
		name  string
		parse func([]byte) (flagged, error)
		out   string
		want  flagged
	}{
		{"posture", parsePosture, `{"version": "dev", "checked": 3, "summary": {"errors": 1, "warnings": 1, "files": 2},
  "findings": [
    {"file": "reports/2026-11/a.yaml", "line": 8, "column": 1, "rule": "scan.full_age", "severity": "deny", "title": "", "message": "m"},
    {"file": "reports/2026-11/b.yaml", "line": 1, "column": 1, "rule": "scan.signatures_fresh", "severity": "warn", "title": "", "message": "m"}
  ]}`, flagged{"reports/2026-11/a.yaml": {"scan.full_age"}}},
		{"conftest", parseConftest, `[
	{"filename": "reports/2026-11/a.yaml", "namespace": "main", "successes": 0,
	 "failures": [{"msg": "os.supported: os_version 13.6 ...", "metadata": {"query": "data.main.deny"}},
	              {"msg": "mac.registered: wifi_mac ...", "metadata": {"query": "data.main.deny"}}]},
	{"filename": "reports/2026-11/b.yaml", "namespace": "main", "successes": 3}
]`, flagged{"reports/2026-11/a.yaml": {"mac.registered", "os.supported"}}},
		{"floor", parseFloor, "reports/2026-11/a.yaml\tscan.full_age: last_full_scan 2026-08-01 is 101 days\n",
			flagged{"reports/2026-11/a.yaml": {"scan.full_age"}}},
		{"floor, nothing", parseFloor, "", flagged{}},
		{"opa eval", parseOPA, `{"result": [{"expressions": [{"value": [
	["reports/2026-11/a.yaml", "scan.full_age", "last_full_scan ..."],
	["reports/2026-11/a.yaml", "os.supported", "os_version ..."],
	["reports/2026-11/b.yaml", "mac.registered", "wifi_mac ..."]
], "text": "data.bench.denied", "location": {"row": 1, "col": 1}}]}]}`,
			flagged{"reports/2026-11/a.yaml": {"os.supported", "scan.full_age"}, "reports/2026-11/b.yaml": {"mac.registered"}}},
		{"opa eval, nothing denied", parseOPA, `{"result": [{"expressions": [{"value": []}]}]}`, flagged{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.parse([]byte(tt.out))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for f, rules := range tt.want {
				if !slices.Equal(got[f], rules) {
					t.Errorf("%s: got %v, want %v", f, got[f], rules)
				}
			}
		})
	}
}

func TestCompare(t *testing.T) {
	exp := synth.Expect{"a": "scan.full_age", "b": "os.supported", "c": "mac.registered"}
	got := flagged{"a": {"scan.full_age"}, "b": {"mac.registered", "os.supported"}, "d": {"os.supported"}}
	want := []string{
		"b: fails mac.registered, os.supported, want os.supported",
		"c: passes, want mac.registered",
		"d: fails os.supported, want no failure",
	}
	if diff := compare(exp, got); !slices.Equal(diff, want) {
		t.Errorf("got %q, want %q", diff, want)
	}
	if diff := compare(exp, flagged{"a": {"scan.full_age"}, "b": {"os.supported"}, "c": {"mac.registered"}}); len(diff) != 0 {
		t.Errorf("got %q for the same sets", diff)
	}
}

func TestDiffer(t *testing.T) {
	want := flagged{"a": {"scan.full_age"}, "b": {"mac.registered", "os.supported"}}
	got := flagged{"a": {"scan.full_age"}, "b": {"os.supported"}, "c": {"os.supported"}}
	if d := differ(want, got); !slices.Equal(d, []string{
		"b: passes mac.registered, want it denied",
		"c: denies os.supported, want it passed",
	}) {
		t.Errorf("got %q", d)
	}
	if d := differ(want, want); len(d) != 0 {
		t.Errorf("got %q for the same sets", d)
	}
}

func TestParseOPARefusesOtherShapes(t *testing.T) {
	for _, out := range []string{`{"result": []}`, `{"result": [{"expressions": [{"value": [["a", "b"]]}]}]}`, `not json`} {
		if _, err := parseOPA([]byte(out)); err == nil {
			t.Errorf("%s: no error", out)
		}
	}
}

func TestStats(t *testing.T) {
	if s := summarise([]float64{3, 1, 2, 10}); s != (stat{med: 2.5, min: 1, max: 10}) {
		t.Errorf("summarise = %+v", s)
	}
	a := []sample{{wall: 3 * time.Second}, {wall: 4 * time.Second}}
	b := []sample{{wall: time.Second}, {wall: 4 * time.Second}}
	if got := paired(a, b, wallRatio); !slices.Equal(got, []float64{3, 1}) {
		t.Errorf("paired = %v", got)
	}
	for n, want := range map[int]string{10: "10", 1000: "1,000", 10000: "10,000", 1234567: "1,234,567"} {
		if got := count(n); got != want {
			t.Errorf("count(%d) = %q, want %q", n, got, want)
		}
	}
}

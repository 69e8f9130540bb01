package equiv

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/posture-dev/posture"
	"github.com/posture-dev/posture/internal/synth"
)

const policyDir = "../conftest/policy"

// newOrg generates a synthetic organisation with the policy data posture
// builds in (not the demo organisation's) and returns it with an evaluator of
// the equivalent policy set on its data.
func newOrg(t *testing.T, employees int) (string, synth.Expect, *Evaluator) {
	t.Helper()
	org := t.TempDir()
	exp, err := synth.Generate(org, synth.Options{Employees: employees, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := fs.ReadFile(posture.Defaults, "policies/config/data.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(org, "policies", "config"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(org, "policies", "config", "data.yaml"), cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	data, err := Data(org, "2026-11-10")
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := NewEvaluator(context.Background(), policyDir, js)
	if err != nil {
		t.Fatal(err)
	}
	return org, exp, ev
}

// TestAgreesWithSynth keeps the equivalent policy set equivalent: on a
// generated organisation it flags exactly the reports the generator made to
// fail, each for its one rule (which posture's TestSyntheticAgreement checks
// of posture).
func TestAgreesWithSynth(t *testing.T) {
	org, exp, ev := newOrg(t, 200)
	files, err := filepath.Glob(filepath.Join(org, "reports", "2026-11", "*.yaml"))
	if err != nil || len(files) != 200 {
		t.Fatalf("got %d reports (%v)", len(files), err)
	}
	got := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		input, err := Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		msgs, err := ev.Deny(context.Background(), input)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(org, f)
		rel = filepath.ToSlash(rel)
		if len(msgs) > 1 {
			t.Errorf("%s: %d messages, want one: %q", rel, len(msgs), msgs)
		}
		if len(msgs) > 0 {
			got[rel] = Rule(msgs[0])
		}
	}
	for p, rule := range exp {
		if got[p] != rule {
			t.Errorf("%s: got %q, want %q", p, got[p], rule)
		}
	}
	for p, rule := range got {
		if _, ok := exp[p]; !ok {
			t.Errorf("%s: fails %s but the generator planted no failure", p, rule)
		}
	}
	rules := map[string]bool{}
	for _, r := range exp {
		rules[r] = true
	}
	if len(rules) != 3 {
		t.Errorf("the generator planted failures of %d rules, want 3: too few employees?", len(rules))
	}
}

// TestCases checks the equivalent rules on reports of device d-e000000
// (windows) and d-e000001 (macos) beyond what the generator makes, following
// posture's rules.
func TestCases(t *testing.T) {
	_, _, ev := newOrg(t, 3)
	win := "device: d-e000000\nantivirus: Microsoft Defender\nos_version: \"10.0.26200\"\nlast_full_scan: 2026-11-01\nwifi_mac: \"3c:22:00:00:00:00\"\n"
	mac := "device: d-e000001\nantivirus: XProtect\nos_version: \"26.1\"\nlast_full_scan: 2026-11-01\nwifi_mac: \"3c:22:00:00:00:01\"\n"
	tests := []struct {
		name   string
		report string
		want   []string // rules
	}{
		{"windows clean", win, nil},
		{"macos clean", mac, nil},
		{"unquoted old scan date", strings.Replace(win, "2026-11-01", "2026-08-01", 1), []string{"scan.full_age"}},
		{"quoted old scan date", strings.Replace(win, "2026-11-01", `"2026-08-01"`, 1), []string{"scan.full_age"}},
		{"scan 35 days before", strings.Replace(win, "2026-11-01", "2026-10-06", 1), nil},
		{"scan 36 days before", strings.Replace(win, "2026-11-01", "2026-10-05", 1), []string{"scan.full_age"}},
		{"scan date not a date", strings.Replace(win, "2026-11-01", "2026-02-30", 1), []string{"scan.full_age"}},
		{"scan date missing", strings.Replace(win, "last_full_scan: 2026-11-01\n", "", 1), []string{"scan.full_age"}},
		{"no antivirus", strings.NewReplacer("XProtect", "not_applicable", "2026-11-01", "2020-01-01").Replace(mac), nil},
		{"windows 10 22H2 ended", strings.Replace(win, "10.0.26200", "10.0.19045", 1), []string{"os.supported"}},
		{"windows unknown build", strings.Replace(win, "10.0.26200", "10.0.26300", 1), []string{"os.supported"}},
		{"macos 15.7.2 supported", strings.Replace(mac, "26.1", "15.7.2", 1), nil},
		{"macos 13 ended", strings.Replace(mac, "26.1", "13.6", 1), []string{"os.supported"}},
		{"version not a version", strings.Replace(mac, "26.1", "twenty-six", 1), []string{"os.supported"}},
		{"mac other spelling", strings.Replace(win, "3c:22:00:00:00:00", "3C-22-00-00-00-00", 1), nil},
		{"mac not registered", strings.Replace(win, "3c:22:00:00:00:00", "a4:83:e7:00:00:01", 1), []string{"mac.registered"}},
		{"mac private: mac.private's", strings.Replace(win, "3c:22:00:00:00:00", "3e:22:00:00:00:09", 1), nil},
		{"mac multicast: mac.format's", strings.Replace(win, "3c:22:00:00:00:00", "3d:22:00:00:00:09", 1), nil},
		{"device not registered", strings.Replace(win, "d-e000000", "d-nobody", 1), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			input, err := Decode([]byte(tt.report))
			if err != nil {
				t.Fatal(err)
			}
			msgs, err := ev.Deny(context.Background(), input)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range msgs {
				got = append(got, Rule(m))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want rules %q", msgs, tt.want)
			}
		})
	}
}

func TestDecodeKeepsDateText(t *testing.T) {
	v, err := Decode([]byte("d: 2026-08-01\nn: 5\nf: 1.5\nb: true\nz: null\nq: \"10.0\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	m := v.(map[string]any)
	want := map[string]any{"d": "2026-08-01", "n": int64(5), "f": 1.5, "b": true, "z": nil, "q": "10.0"}
	for k, w := range want {
		if m[k] != w {
			t.Errorf("%s: got %#v, want %#v", k, m[k], w)
		}
	}
}

package policy

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/posture-dev/posture"
	"gopkg.in/yaml.v3"
)

// TestRegoPolicies runs every Rego unit test of the built-in policies (the
// *_test.rego files) the way posture test runs them, one Go subtest per Rego
// test.
func TestRegoPolicies(t *testing.T) {
	run, err := RunTests(context.Background(), posture.Defaults, policyDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range run.Problems {
		t.Error(p)
	}
	if len(run.Results) < 100 {
		t.Fatalf("found %d rego tests under policies/, want the whole suite", len(run.Results))
	}
	for _, r := range run.Results {
		t.Run(strings.TrimPrefix(r.Name, "data."), func(t *testing.T) {
			switch {
			case r.Skipped:
				t.Skip("skipped in rego (todo_ prefix)")
			case r.Error != "":
				t.Errorf("%s:%d: error: %s\n%s", r.File, r.Line, r.Error, r.Output)
			case r.Failed:
				t.Errorf("%s:%d: FAIL\n%s", r.File, r.Line, r.Output)
			}
		})
	}
}

// TestRegoTestsIgnoreCompanyData changes, one at a time, each value an
// organisation sets in policies/config/data.yaml and runs the Rego tests in
// that copy: they bring their own data, so they must stay green.
func TestRegoTestsIgnoreCompanyData(t *testing.T) {
	thresholds := []string{"full_scan_max_days", "quick_scan_max_days", "signatures_max_days", "signatures_warn_days", "screen_lock_max_minutes", "patch_max_days"}
	type change struct {
		name string
		edit func(config map[string]any)
	}
	changes := []change{
		{"corporate_ssids", func(c map[string]any) { c["corporate_ssids"] = []any{"ACME-WLAN", "ACME-LAB"} }},
		{"os_support", func(c map[string]any) {
			c["os_support"] = map[string]any{"windows": []any{map[string]any{"name": "Windows 12", "min": "10.0.30000", "end_of_support": nil}}}
		}},
		{"antivirus_platforms", func(c map[string]any) { c["antivirus_platforms"] = []any{"windows"} }},
		{"quick_scan_platforms", func(c map[string]any) { c["quick_scan_platforms"] = []any{"windows", "macos", "linux"} }},
	}
	for i, name := range thresholds {
		changes = append(changes, change{"thresholds." + name, func(c map[string]any) {
			c["thresholds"].(map[string]any)[name] = 1 + i*50
		}})
	}
	for _, tt := range changes {
		t.Run(tt.name, func(t *testing.T) {
			root := writeShipped(t)
			editConfig(t, root, tt.edit)
			run := runTests(t, root)
			if !run.OK() {
				t.Errorf("with %s changed the rego tests fail:\n%s", tt.name, describe(run))
			}
		})
	}
}

// TestRegoTestsCatchBrokenRules breaks a rule and expects its tests to fail.
func TestRegoTestsCatchBrokenRules(t *testing.T) {
	tests := []struct {
		name, file, old, new string
		want                 string // a test that must fail
	}{
		{
			name: "any SSID counts as corporate", file: "policies/mac.rego",
			old: "_corporate(ssid) if ssid in data.config.corporate_ssids", new: "_corporate(_) := true",
			want: "data.posture.rules.mac_test.test_private_fixed_on_other_ssid_fails",
		},
		{
			name: "full scan measured by the quick scan limit", file: "policies/scan.rego",
			old: `stale_msg("last_full_scan", th.full_scan_max_days`, new: `stale_msg("last_full_scan", th.quick_scan_max_days`,
			want: "data.posture.rules.scan_test.test_old_full_scan_fails",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := writeShipped(t)
			src := readFile(t, root, tt.file)
			if !strings.Contains(src, tt.old) {
				t.Fatalf("%s no longer holds %q; update the test", tt.file, tt.old)
			}
			writeFile(t, root, tt.file, strings.Replace(src, tt.old, tt.new, 1))
			run := runTests(t, root)
			if run.OK() {
				t.Fatal("the rego tests pass with a broken rule")
			}
			var failed []string
			for _, r := range run.Failed() {
				failed = append(failed, r.Name)
			}
			if !strings.Contains(strings.Join(failed, "\n"), tt.want) {
				t.Errorf("failed tests %q, want %s among them\n%s", failed, tt.want, describe(run))
			}
		})
	}
}

func runTests(t *testing.T, root string) *TestRun {
	t.Helper()
	run, err := RunTests(context.Background(), os.DirFS(root), policyDir)
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// editConfig rewrites policies/config/data.yaml under root through edit.
func editConfig(t *testing.T, root string, edit func(map[string]any)) {
	t.Helper()
	var config map[string]any
	if err := yaml.Unmarshal([]byte(readFile(t, root, policyDir+"/"+ConfigFile)), &config); err != nil {
		t.Fatal(err)
	}
	edit(config)
	out, err := yaml.Marshal(config)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, root, policyDir+"/"+ConfigFile, string(out))
}

func readFile(t *testing.T, root, name string) string {
	t.Helper()
	b, err := os.ReadFile(root + "/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// describe lists a run's problems and failed tests.
func describe(run *TestRun) string {
	var b strings.Builder
	for _, p := range run.Problems {
		fmt.Fprintln(&b, p)
	}
	for _, r := range run.Failed() {
		fmt.Fprintf(&b, "%s:%d: %s %s\n", r.File, r.Line, r.Name, r.Error)
	}
	if len(run.Results) == 0 {
		fmt.Fprintln(&b, "no tests ran")
	}
	return b.String()
}

package policy

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/posture-dev/posture"
)

const testLib = `package posture.lib

violation(meta, field, message) := {"rule": meta.custom.id, "severity": meta.custom.severity,
	"title": meta.title, "field": field, "message": message}
`

// testRule is a violation rule in package posture.rules.<family> with the
// METADATA lines given.
func testRule(family string, meta ...string) string {
	var b strings.Builder
	b.WriteString("package posture.rules." + family + "\n\nimport data.posture.lib\n\n")
	if len(meta) > 0 {
		b.WriteString("# METADATA\n")
		for _, m := range meta {
			b.WriteString("# " + m + "\n")
		}
	}
	b.WriteString(`violation contains v if {
	input.kind == "report"
	not input.record.ok
	meta := rego.metadata.rule()
	v := lib.violation(meta, ["ok"], "ok is not true")
}
`)
	return b.String()
}

var okMeta = []string{"title: OK", "custom:", "  id: x.ok", "  severity: deny"}

func testFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{
		"p/lib.rego":         {Data: []byte(testLib)},
		"p/config/data.yaml": {Data: []byte("thresholds:\n  days: 3\n")},
	}
	for name, src := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(src)}
	}
	return fsys
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		wantErr string // "" for success
	}{
		{name: "ok", files: map[string]string{"p/x.rego": testRule("x", okMeta...)}},
		{
			name: "tests and exceptions are not loaded",
			files: map[string]string{
				"p/x.rego":              testRule("x", okMeta...),
				"p/x_test.rego":         "package broken {",
				"p/exceptions/e.rego":   "package broken {",
				"p/exceptions/e.yaml":   "id: e\n",
				"p/nested/y.rego":       testRule("y", "title: Y", "custom:", "  id: y.ok", "  severity: warn"),
				"p/.hidden/broken.rego": "package broken {",
			},
		},
		{
			name:    "syntax error",
			files:   map[string]string{"p/x.rego": "package posture.rules.x\n\nviolation contains v if {\n"},
			wantErr: "p/x.rego:",
		},
		{
			name:    "compile error",
			files:   map[string]string{"p/x.rego": "package posture.rules.x\n\n# METADATA\n# title: X\n# custom:\n#   id: x.x\n#   severity: deny\nviolation contains v if { true }\n"},
			wantErr: "compile:",
		},
		{
			name: "duplicate id",
			files: map[string]string{
				"p/x.rego": testRule("x", okMeta...),
				"p/y.rego": testRule("y", okMeta...),
			},
			wantErr: `rule id "x.ok" is already used at p/x.rego:`,
		},
		{
			name:    "no metadata",
			files:   map[string]string{"p/x.rego": testRule("x")},
			wantErr: "p/x.rego:5: the violation rule has no # METADATA block",
		},
		{
			name:    "no id",
			files:   map[string]string{"p/x.rego": testRule("x", "title: OK", "custom:", "  severity: deny")},
			wantErr: "lacks custom.id",
		},
		{
			name:    "no severity",
			files:   map[string]string{"p/x.rego": testRule("x", "title: OK", "custom:", "  id: x.ok")},
			wantErr: `the METADATA of rule "x.ok" lacks custom.severity`,
		},
		{
			name:    "bad severity",
			files:   map[string]string{"p/x.rego": testRule("x", "title: OK", "custom:", "  id: x.ok", "  severity: error")},
			wantErr: `rule "x.ok" has severity "error"; use deny or warn`,
		},
		{
			name:    "no rules",
			files:   map[string]string{},
			wantErr: "no violation rules found",
		},
		{
			name:    "bad data.yaml",
			files:   map[string]string{"p/x.rego": testRule("x", okMeta...), "p/config/data.yaml": "a: [1\n"},
			wantErr: "read policy data p/config/data.yaml",
		},
		{
			name:    "data.yaml not a mapping",
			files:   map[string]string{"p/x.rego": testRule("x", okMeta...), "p/config/data.yaml": "- 1\n"},
			wantErr: "must be a mapping",
		},
		{
			name:    "data file at the top of the policies",
			files:   map[string]string{"p/x.rego": testRule("x", okMeta...), "p/data.yaml": "thresholds: {}\n"},
			wantErr: "p/data.yaml: a data file directly in p spreads its keys over the data root; move it to p/config/data.yaml",
		},
		{
			name:    "other yaml file",
			files:   map[string]string{"p/x.rego": testRule("x", okMeta...), "p/local/allowed.yaml": "a: 1\n"},
			wantErr: "p/local/allowed.yaml: OPA would load this file as data and posture would not; move its content into p/local/data.yaml",
		},
		{
			name:    "data where posture puts the registry",
			files:   map[string]string{"p/x.rego": testRule("x", okMeta...), "p/registry/data.yaml": "people: {}\n"},
			wantErr: "p/registry: data.registry is filled in by posture",
		},
		{
			name: "two data files set one value",
			files: map[string]string{
				"p/x.rego": testRule("x", okMeta...), "p/local/data.yaml": "acme: {days: 1}\n", "p/local/acme/data.yaml": "days: 2\n",
			},
			wantErr: "data.local.acme.days is also set by another data file",
		},
		{
			name: "violation rule too deep to be evaluated",
			files: map[string]string{
				"p/x.rego": testRule("x", okMeta...),
				"p/y.rego": strings.Replace(testRule("y", "title: Y", "custom:", "  id: y.y", "  severity: deny"), "posture.rules.y", "posture.rules.y.deep", 1),
			},
			wantErr: "p/y.rego:10: package posture.rules.y.deep is not evaluated",
		},
		{
			name: "local rule in posture's package",
			files: map[string]string{
				"p/x.rego":       testRule("x", okMeta...),
				"p/local/x.rego": testRule("x", "title: L", "custom:", "  id: local.x", "  severity: deny"),
			},
			wantErr: "p/local/x.rego:1: package posture.rules.x is posture's own",
		},
		{
			name: "local helper in posture's namespace",
			files: map[string]string{
				"p/x.rego":         testRule("x", okMeta...),
				"p/local/lib.rego": "package posture.acme\n\nanswer := 42\n",
			},
			wantErr: "p/local/lib.rego:1: package posture.acme is in posture's namespace",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Load(testFS(tt.files), "p")
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Load: %v", err)
				}
				if len(e.Rules()) == 0 {
					t.Error("Load: no rules")
				}
				return
			}
			if err == nil {
				t.Fatalf("Load succeeded, want an error containing %q", tt.wantErr)
			}
			if !strings.HasPrefix(err.Error(), "load policies at p: ") || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Load error = %q, want it to start with %q and contain %q", err, "load policies at p: ", tt.wantErr)
			}
		})
	}
}

func TestLoadMissingDir(t *testing.T) {
	if _, err := Load(fstest.MapFS{}, "policies"); err == nil {
		t.Fatal("Load of a missing folder succeeded")
	}
}

func TestLoadMissingData(t *testing.T) {
	fsys := testFS(map[string]string{"p/x.rego": testRule("x", okMeta...)})
	delete(fsys, "p/config/data.yaml")
	if _, err := Load(fsys, "p"); err == nil || !strings.Contains(err.Error(), "read policy data: p/config/data.yaml is missing") {
		t.Fatalf("Load error = %v, want a read policy data error", err)
	}
}

// TestLoadData checks that the data files are laid out as OPA lays them out:
// each at the path of its folder.
func TestLoadData(t *testing.T) {
	e, err := Load(testFS(map[string]string{
		"p/x.rego":                testRule("x", okMeta...),
		"p/local/data.yaml":       "acme:\n  ssids: [LAB]\n",
		"p/local/acme/data.json":  `{"days": 4}`,
		"p/exceptions/e.yaml":     "id: e\n",
		"p/.regal/config.yaml":    "rules: {}\n",
		"p/local/notes/README.md": "not data\n",
	}), "p")
	if err != nil {
		t.Fatal(err)
	}
	want := `map[config:map[thresholds:map[days:3]] local:map[acme:map[days:4 ssids:[LAB]]]]`
	if got := fmt.Sprint(e.data); got != want {
		t.Errorf("data = %s, want %s", got, want)
	}
	if _, err := e.Prepare(context.Background(), map[string]any{"local": map[string]any{}}); err == nil {
		t.Error("Prepare let the caller's data.local replace the data files'")
	}
}

// wantRules are the rule ids the policies must define.
var wantRules = []string{
	"device.encryption", "device.id_path", "device.jailbreak", "device.mac_format", "device.mac_unique",
	"device.owner", "device.registered_future", "device.retirement", "device.screen_lock",
	"evidence.path", "exception.approver", "exception.device", "exception.id_path",
	"mac.format", "mac.private", "mac.registered",
	"os.linux_name", "os.name_registered", "os.patch_level", "os.supported",
	"person.github_unique", "person.id_path", "person.supervisor", "person.supervisor_cycle",
	"report.device_active", "report.device_registered", "report.future_date", "report.path",
	"report.period_before_registration", "report.period_future", "report.reporter_active", "report.reporter_owner",
	"scan.antivirus_required", "scan.full_age", "scan.quick_age", "scan.realtime",
	"scan.signatures_age", "scan.signatures_fresh", "scan.threats_count", "scan.threats_unresolved",
}

func TestRules(t *testing.T) {
	e, err := Load(posture.Defaults, policyDir)
	if err != nil {
		t.Fatal(err)
	}
	rules := e.Rules()
	var ids []string
	for _, r := range rules {
		ids = append(ids, r.ID)
		if r.Title == "" || r.Description == "" || r.Remediation == "" {
			t.Errorf("rule %s (%s) lacks a title, description or remediation: %+v", r.ID, r.Location, r)
		}
		want := SeverityDeny
		if r.ID == "scan.signatures_fresh" {
			want = SeverityWarn
		}
		if r.Severity != want {
			t.Errorf("rule %s has severity %q, want %q", r.ID, r.Severity, want)
		}
		if !strings.HasPrefix(r.Location, "policies/") || !strings.HasPrefix(r.Package, "data.posture.rules.") {
			t.Errorf("rule %s at %s in %s", r.ID, r.Location, r.Package)
		}
	}
	if !slices.Equal(ids, wantRules) {
		t.Errorf("rule ids =\n%q\nwant\n%q", ids, wantRules)
	}
	rules[0].ID = "changed"
	if e.Rules()[0].ID == "changed" {
		t.Error("Rules returns the engine's own slice")
	}
}

package scaffold

import (
	"bytes"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/posture-dev/posture"
	"gopkg.in/yaml.v3"
)

const orgData = `# Our thresholds.
thresholds:
  # Ours: stricter than posture's.
  full_scan_max_days: 20   # decided 2026-03
  quick_scan_max_days: 7

corporate_ssids: [ACME-CORP]
flow: {a: 1}
`

const defaultsData = `# posture's defaults.
thresholds:
  full_scan_max_days: 35
  quick_scan_max_days: 7
  # New in this posture.
  patch_max_days: 90
corporate_ssids: [CORP-WIFI]
flow: {a: 1, b: 2}
# A new table.
new_table:
  key: [x, y]
`

func TestMergeData(t *testing.T) {
	tests := []struct {
		name     string
		org      string
		defaults string
		want     string // "" for org unchanged
		added    []string
		skipped  []string
	}{
		{name: "nothing new", org: orgData, defaults: orgData},
		{
			name: "new keys, nested and at the top", org: orgData, defaults: defaultsData,
			want: `# Our thresholds.
thresholds:
  # Ours: stricter than posture's.
  full_scan_max_days: 20   # decided 2026-03
  quick_scan_max_days: 7
  # New in this posture.
  patch_max_days: 90

corporate_ssids: [ACME-CORP]
flow: {a: 1}

# A new table.
new_table:
  key: [x, y]
`,
			added:   []string{"new_table", "thresholds.patch_max_days"},
			skipped: []string{"flow.b"},
		},
		{name: "an empty file gets the defaults", org: "# nothing yet\n", defaults: defaultsData, want: defaultsData,
			added: []string{"corporate_ssids", "flow", "new_table", "thresholds"}},
		{name: "no newline at the end", org: "a: 1", defaults: "a: 2\nb: 3\n", want: "a: 1\n\nb: 3\n", added: []string{"b"}},
		{name: "a value of another type is the organisation's", org: "thresholds: none\n", defaults: defaultsData,
			want:  "thresholds: none\n\ncorporate_ssids: [CORP-WIFI]\n\nflow: {a: 1, b: 2}\n\n# A new table.\nnew_table:\n  key: [x, y]\n",
			added: []string{"corporate_ssids", "flow", "new_table"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, added, skipped, err := MergeData([]byte(tt.org), []byte(tt.defaults))
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			if want == "" {
				want = tt.org
			}
			if string(out) != want {
				t.Errorf("merged:\n%s\nwant:\n%s\n%s", out, want, Diff("data.yaml", []byte(want), out))
			}
			if !slices.Equal(added, tt.added) || !slices.Equal(skipped, tt.skipped) {
				t.Errorf("added %v, skipped %v; want %v, %v", added, skipped, tt.added, tt.skipped)
			}
		})
	}
}

// TestMergeShippedData: an organisation whose data lacks some of posture's
// keys (it started from an older posture) gets them back with their
// default values, and keeps its own values and comments.
func TestMergeShippedData(t *testing.T) {
	def, err := fs.ReadFile(posture.Defaults, DataFile)
	if err != nil {
		t.Fatal(err)
	}
	org := strings.Replace(string(def), "  full_scan_max_days: 35\n", "  full_scan_max_days: 21 # ours\n", 1)
	org = strings.Replace(org, "  patch_max_days: 90\n", "", 1)
	org = strings.Replace(org, "quick_scan_platforms: [windows]\n", "", 1)
	if org == string(def) || strings.Contains(org, "  patch_max_days: 90\n") || strings.Contains(org, "\nquick_scan_platforms:") {
		t.Fatal("the defaults changed shape: adjust the test")
	}
	out, added, _, err := MergeData([]byte(org), def)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(added, []string{"quick_scan_platforms", "thresholds.patch_max_days"}) {
		t.Errorf("added %v", added)
	}
	var got, want map[string]any
	if err := yaml.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(def, &want); err != nil {
		t.Fatal(err)
	}
	want["thresholds"].(map[string]any)["full_scan_max_days"] = 21
	if !equalYAML(got, want) {
		t.Errorf("merged data reads as\n%v\nwant\n%v", got, want)
	}
	if !strings.Contains(string(out), "full_scan_max_days: 21 # ours\n") {
		t.Error("the organisation's value and comment are gone")
	}
	// Merging again finds nothing.
	again, added, _, err := MergeData(out, def)
	if err != nil || len(added) > 0 || !bytes.Equal(again, out) {
		t.Errorf("a second merge added %v (%v)", added, err)
	}
}

func equalYAML(a, b any) bool {
	x, _ := yaml.Marshal(a)
	y, _ := yaml.Marshal(b)
	return bytes.Equal(x, y)
}

func TestSetSSIDs(t *testing.T) {
	tests := []struct {
		name  string
		ssids []string
		line  string
	}{
		{name: "one", ssids: []string{"ACME"}, line: "corporate_ssids: [ACME]  # the office\n"},
		{name: "several, one needing quotes", ssids: []string{"ACME 5G", "a, b", "yes"}, line: `corporate_ssids: [ACME 5G, "a, b", "yes"]  # the office` + "\n"},
	}
	src := "x: 1\ncorporate_ssids: [CORP-WIFI]  # the office\ny: 2\n"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := setSSIDs([]byte(src), tt.ssids)
			if err != nil {
				t.Fatal(err)
			}
			if want := "x: 1\n" + tt.line + "y: 2\n"; string(out) != want {
				t.Errorf("got\n%s\nwant\n%s", out, want)
			}
		})
	}
	if _, err := setSSIDs([]byte("corporate_ssids:\n  - A\n"), []string{"B"}); err == nil {
		t.Error("a block list was rewritten; only posture's one-line list is")
	}
}

func TestYAMLScalar(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Acme", "Acme"},
		{"Example Corp", "Example Corp"},
		{"it-lead@users.noreply.github.com", "it-lead@users.noreply.github.com"},
		{".github/workflows/ci.yml", ".github/workflows/ci.yml"},
		{"Acme, Inc.", `"Acme, Inc."`},
		{"yes", `"yes"`},
		{"Null", `"Null"`},
		{"10", `"10"`},
		{"a: b", `"a: b"`},
		{"#1", `"#1"`},
		{"trailing ", `"trailing "`},
		{"", `""`},
		{`quote "me"`, `"quote \"me\""`},
		{"株式会社", `"株式会社"`},
	}
	for _, tt := range tests {
		got := yamlScalar(tt.in)
		if got != tt.want {
			t.Errorf("yamlScalar(%q) = %s, want %s", tt.in, got, tt.want)
		}
		var back string
		if err := yaml.Unmarshal([]byte("k: "+got), &struct {
			K *string `yaml:"k"`
		}{&back}); err != nil || back != tt.in {
			t.Errorf("%s reads back as %q (%v)", got, back, err)
		}
	}
}

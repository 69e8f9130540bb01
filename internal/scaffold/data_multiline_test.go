package scaffold

import (
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestMergeDataMultiline adds a key to a mapping whose last value runs
// over several lines (plain, folded, literal, quoted, a comment inside a
// nested mapping): the new key goes after the whole value, and every value
// of the organisation reads back as it was.
func TestMergeDataMultiline(t *testing.T) {
	def := "thresholds:\n  note: x\n  patch_max_days: 90\nother: 1\n"
	for name, org := range map[string]string{
		"plain":   "thresholds:\n  note: a long\n    plain note\nother: 1\n",
		"folded":  "thresholds:\n  note: >\n    first line\n    second line\nother: 1\n",
		"literal": "thresholds:\n  note: |\n    first line\n\n    third line\nother: 1\n",
		"quoted":  "thresholds:\n  note: \"a long\n    quoted note\"\nother: 1\n",
		"nested":  "thresholds:\n  note:\n    deeper: a\n      b\n    # about deeper\nother: 1\n",
		"last":    "other: 1\nthresholds:\n  note: a long\n    plain note at the end",
	} {
		t.Run(name, func(t *testing.T) {
			out, added, _, err := MergeData([]byte(org), []byte(def))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(added, []string{"thresholds.patch_max_days"}) {
				t.Fatalf("added %v", added)
			}
			var want, got map[string]any
			if err := yaml.Unmarshal([]byte(org), &want); err != nil {
				t.Fatal(err)
			}
			want["thresholds"].(map[string]any)["patch_max_days"] = 90
			if err := yaml.Unmarshal(out, &got); err != nil {
				t.Fatalf("the result does not parse: %v\n%s", err, out)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("the result reads back as\n%v\nwant\n%v\n%s", got, want, out)
			}
			kept := strings.Replace(string(out), "  patch_max_days: 90\n", "", 1)
			if kept != org && kept != org+"\n" {
				t.Errorf("the organisation's text was not kept byte for byte:\n%s", out)
			}
		})
	}
}

// TestReadsBack refuses a merge whose text changed one of the
// organisation's values, or lost a new key.
func TestReadsBack(t *testing.T) {
	org := "thresholds:\n  note: a long\n    plain note\n"
	def := "thresholds:\n  note: x\n  patch_max_days: 90\n"
	good := "thresholds:\n  note: a long\n    plain note\n  patch_max_days: 90\n"
	if err := readsBack([]byte(org), []byte(def), []byte(good), []string{"thresholds.patch_max_days"}); err != nil {
		t.Errorf("a good merge: %v", err)
	}
	for name, out := range map[string]string{
		"a value changed": "thresholds:\n  note: a long\n  patch_max_days: 90 plain note\n",
		"a key lost":      org,
		"another value":   "thresholds:\n  note: a long\n    plain note\n  patch_max_days: 91\n",
		"not YAML":        "thresholds: [\n",
	} {
		if err := readsBack([]byte(org), []byte(def), []byte(out), []string{"thresholds.patch_max_days"}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

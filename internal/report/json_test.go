package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/posture-dev/posture/internal/finding"
)

// TestJSONRoundTrip decodes the json output strictly and checks that it holds
// every finding unchanged, with counts that match.
func TestJSONRoundTrip(t *testing.T) {
	tests := []struct {
		name   string
		result Result
		want   JSONSummary
	}{
		{name: "full", result: fullResult(), want: JSONSummary{Errors: 4, Warnings: 2, Files: 4}},
		{name: "empty", result: emptyResult(), want: JSONSummary{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := Write(&out, JSON, tt.result, Options{}); err != nil {
				t.Fatal(err)
			}
			dec := json.NewDecoder(bytes.NewReader(out.Bytes()))
			dec.DisallowUnknownFields()
			var got JSONReport
			if err := dec.Decode(&got); err != nil {
				t.Fatalf("decode json output: %v", err)
			}
			if dec.More() {
				t.Error("json output holds more than one value")
			}
			if got.Version != tt.result.Version || got.Checked != tt.result.Checked {
				t.Errorf("version, checked = %q, %d; want %q, %d", got.Version, got.Checked, tt.result.Version, tt.result.Checked)
			}
			if got.Summary != tt.want {
				t.Errorf("summary = %+v, want %+v", got.Summary, tt.want)
			}
			back := make([]finding.Finding, 0, len(got.Findings))
			for _, f := range got.Findings {
				back = append(back, finding.Finding(f))
			}
			want := tt.result.Findings
			if want == nil {
				want = []finding.Finding{}
			}
			if !reflect.DeepEqual(back, want) {
				t.Errorf("findings after a round trip:\n%+v\nwant\n%+v", back, want)
			}
		})
	}
}

// TestJSONAlwaysHasEveryField checks the promise in JSONReport's doc comment:
// no field is left out, and findings is an array even when empty.
func TestJSONAlwaysHasEveryField(t *testing.T) {
	var out bytes.Buffer
	r := Result{Findings: []finding.Finding{{File: "a.yaml", Line: 1, Column: 1, Rule: "schema", Severity: finding.Deny}}}
	if err := Write(&out, JSON, r, Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version  *string                      `json:"version"`
		Checked  *int                         `json:"checked"`
		Summary  map[string]json.RawMessage   `json:"summary"`
		Findings []map[string]json.RawMessage `json:"findings"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version == nil || doc.Checked == nil {
		t.Error("version or checked is missing")
	}
	for _, k := range []string{"errors", "warnings", "files"} {
		if _, ok := doc.Summary[k]; !ok {
			t.Errorf("summary.%s is missing", k)
		}
	}
	for _, k := range []string{"file", "line", "column", "rule", "severity", "title", "message"} {
		if _, ok := doc.Findings[0][k]; !ok {
			t.Errorf("findings[0].%s is missing", k)
		}
	}

	out.Reset()
	if err := Write(&out, JSON, Result{}, Options{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out.Bytes(), []byte(`"findings": []`)) {
		t.Errorf("json output of a nil Findings has no empty findings array:\n%s", out.Bytes())
	}
}

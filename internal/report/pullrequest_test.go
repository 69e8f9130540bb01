package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/finding"
)

// TestPullRequestFinding: a finding about a pull request as a whole (no
// file) names the pull request, in every format, with no made-up position.
func TestPullRequestFinding(t *testing.T) {
	r := Result{Checked: 0, Version: "0.3.0", Findings: []finding.Finding{{Rule: "change.merge_base", Severity: finding.Deny,
		Message: "the branch and main have 2 merge bases; rebase your branch on main"}}}
	write := func(f Format) string {
		var buf bytes.Buffer
		if err := Write(&buf, f, r, Options{}); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	if got := write(Text); !strings.HasPrefix(got, "pull request: the branch and main") {
		t.Errorf("text:\n%s", got)
	}
	if got := write(GitHub); !strings.HasPrefix(got, "::error title=change.merge_base::the branch") {
		t.Errorf("github:\n%s", got)
	}
	var sarif struct {
		Runs []struct {
			Results []map[string]any `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(write(SARIF)), &sarif); err != nil {
		t.Fatal(err)
	}
	if res := sarif.Runs[0].Results[0]; res["locations"] != nil {
		t.Errorf("sarif result has locations %v, want none", res["locations"])
	}
	if got := write(JSON); !strings.Contains(got, `"file": ""`) {
		t.Errorf("json:\n%s", got)
	}
}

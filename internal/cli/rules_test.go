package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/posture-dev/posture"
	"github.com/posture-dev/posture/internal/policy"
	"github.com/posture-dev/posture/internal/rules"
)

func TestRulesListsEveryRule(t *testing.T) {
	e, err := policy.Load(posture.Defaults, "policies")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{} // id → origin
	for _, r := range e.Rules() {
		want[r.ID] = originPolicy
	}
	for _, r := range rules.Builtin() {
		want[r.ID] = originPosture
	}
	for _, id := range []string{"schema.required", "file.syntax", "file.too_many", "change.mixed", "codeowners.stale", "settings.timezone",
		"workflow.timezone", "exception.expired", "exception.unused", "report.duplicate", "evidence.file", "audit.direct_push", "scan.full_age"} {
		if want[id] == "" {
			t.Errorf("%s is neither a Rego rule nor one of posture's", id)
		}
	}

	code, stdout, stderr := runF(t, nil, "rules", "-C", t.TempDir(), "--format", "json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Rules []ruleEntry `json:"rules"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	got := map[string]bool{}
	for i, r := range doc.Rules {
		if i > 0 && doc.Rules[i-1].ID >= r.ID {
			t.Errorf("%s after %s: not sorted, or twice", r.ID, doc.Rules[i-1].ID)
		}
		got[r.ID] = true
		if want[r.ID] == "" {
			t.Errorf("%s is listed but is no rule", r.ID)
		}
		if r.Origin != want[r.ID] || r.Severity == "" || r.Title == "" || (r.Command != "check" && r.Command != "audit") {
			t.Errorf("%+v: want origin %s, a severity, a title and a command", r, want[r.ID])
		}
		if r.Origin == originPosture && r.Remediation == "" {
			t.Errorf("%s has no remediation", r.ID)
		}
		if (r.Origin == originPolicy) != (r.Location != "") {
			t.Errorf("%s: location %q", r.ID, r.Location)
		}
	}
	for id := range want {
		if !got[id] {
			t.Errorf("rules -f json lacks %s", id)
		}
	}

	code, stdout, _ = runF(t, nil, "rules", "-C", t.TempDir())
	if code != ExitOK || !strings.HasPrefix(stdout, "RULE ") || !strings.Contains(stdout, " REMEDIATION\n") {
		t.Fatalf("text (exit %d):\n%s", code, stdout)
	}
	for id := range want {
		if !strings.Contains(stdout, "\n"+id+" ") {
			t.Errorf("the text lacks %s", id)
		}
	}
	if !strings.Contains(stdout, "\nchange.mixed ") || !strings.Contains(stdout, "Move every other file to a pull request of its own") {
		t.Errorf("the text lacks change.mixed's remediation:\n%s", stdout)
	}
}

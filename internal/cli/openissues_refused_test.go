package cli

import (
	"net/http"
	"strings"
	"testing"
)

// TestOpenIssuesRefused: GitHub refuses e1001's issue (its title is too
// long). The others are opened and the run fails with exit 2, naming
// e1001, GitHub's words and the record to fix; with the cap reached too,
// it exits 1 as a capped run does and still names e1001.
func TestOpenIssuesRefused(t *testing.T) {
	const tooLong = `{"message":"Validation Failed","errors":[{"resource":"Issue","code":"custom","field":"title",` +
		`"message":"title is too long (maximum is 256 characters)"}],"documentation_url":"https://docs.github.com/rest"}`
	refusal := "e1001 (Haruka Sato): 422 Validation Failed: title is too long (maximum is 256 characters); " +
		"the title holds the name in people/e1001.yaml"

	e := newCycleEnv(t, dec1)
	e.gh.FailNext("POST", "issues", 1, http.StatusUnprocessableEntity, nil, tooLong)
	code, stdout, stderr := e.run("open-issues", "--max", "3")
	if code != ExitFindings || !strings.Contains(stderr, "opened 3, stopped at the cap of 3 issues in one run with 6 still to open") ||
		!strings.Contains(stderr, refusal) {
		t.Errorf("capped: exit %d\n%s%s", code, stdout, stderr)
	}

	e.gh.FailNext("POST", "issues", 1, http.StatusUnprocessableEntity, nil, tooLong)
	code, stdout, stderr = e.run("open-issues")
	if code != ExitUsage || !strings.Contains(stderr, "posture: opened 6 issues; GitHub refused the 2026-12 issue of 1 person:") ||
		!strings.Contains(stderr, refusal) || strings.Count(stderr, "e1001 (Haruka Sato)") != 1 {
		t.Errorf("refused: exit %d\n%s%s", code, stdout, stderr)
	}
	got := e.issuesOf()
	for _, id := range []string{"e1002", "e1003", "e1004", "e1005", "e1006", "e1007", "e1008", "e1009", "e1010"} {
		if got[id] != 1 {
			t.Errorf("%s has %d issues, want 1", id, got[id])
		}
	}
	if got["e1001"] != 0 {
		t.Errorf("e1001 has %d issues", got["e1001"])
	}
}

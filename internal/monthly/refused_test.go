package monthly

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/forge/githubtest"
)

// tooLong is GitHub's answer to an issue whose title is too long.
const tooLong = `{"message":"Validation Failed","errors":[{"resource":"Issue","code":"custom","field":"title",` +
	`"message":"title is too long (maximum is 256 characters)"}],"documentation_url":"https://docs.github.com/rest/issues/issues#create-an-issue"}`

// TestOpenGoesOnAfterARefusal: GitHub refuses the first subject's issue in
// every run. The others are opened once each, the first run already, with
// a cap that their number just fills; each run names the refused one.
func TestOpenGoesOnAfterARefusal(t *testing.T) {
	c, srv, clk := setup(t)
	plan := demoPlan(t, "2026-12")
	for run := 1; run <= 3; run++ {
		srv.FailNext("POST", "issues", 1, http.StatusUnprocessableEntity, nil, tooLong) // e1001's, tried first
		res, out, err := openWith(t, c, clk, plan, len(want)-1)
		var refused *RefusedError
		if !errors.As(err, &refused) || len(refused.Refused) != 1 || refused.Refused[0].Subject.ID != "e1001" || refused.Err != nil {
			t.Fatalf("run %d: %+v, %v", run, res, err)
		}
		for _, s := range []string{"GitHub refused the 2026-12 issue of 1 person:",
			"e1001 (Haruka Sato): 422 Validation Failed: title is too long (maximum is 256 characters); the title holds the name in people/e1001.yaml",
			"Then run again"} {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("run %d: message lacks %q:\n%v", run, s, err)
			}
		}
		if !strings.Contains(out, "going on with the others") {
			t.Errorf("run %d: output:\n%s", run, out)
		}
		if created := map[int]int{1: len(want) - 1}[run]; len(res.Created) != created || res.Remaining != 1 {
			t.Errorf("run %d: created %d, remaining %d; want %d and 1", run, len(res.Created), res.Remaining, created)
		}
	}
	got := keys(t, srv)
	for _, id := range want[1:] {
		if got[id] != 1 {
			t.Errorf("%s has %d issues, want 1", id, got[id])
		}
	}
	if got["e1001"] != 0 || len(srv.Issues()) != len(want)-1 {
		t.Errorf("%d issues: %v", len(srv.Issues()), got)
	}
}

// TestOpenRefusalAndStop: a run that is stopped after a refusal says both.
func TestOpenRefusalAndStop(t *testing.T) {
	c, srv, clk := setup(t)
	plan := demoPlan(t, "2026-12")
	srv.FailNext("POST", "issues", 1, http.StatusUnprocessableEntity, nil, tooLong)
	res, _, err := openWith(t, c, clk, plan, 3)
	var refused *RefusedError
	var capErr *CapError
	if !errors.As(err, &refused) || !errors.As(err, &capErr) || capErr.Remaining != 6 || len(res.Created) != 3 {
		t.Fatalf("%+v, %v", res, err)
	}
	if !strings.Contains(err.Error(), "cap of 3 issues") || !strings.Contains(err.Error(), "e1001 (Haruka Sato): 422") {
		t.Errorf("message: %v", err)
	}
}

// TestOpenStopsOnARefusalOfTheRun: a 4xx that is about the token or the
// repository, not the issue, stops the run at once, as does a 5xx that
// stays uncertain.
func TestOpenStopsOnARefusalOfTheRun(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault githubtest.Fault
	}{
		{"403", githubtest.Forbidden("POST", "issues", "Resource not accessible by integration")},
		{"404", githubtest.NotFound("POST", "issues")},
		{"410", githubtest.Fault{Method: "POST", Path: "issues", Status: http.StatusGone,
			Body: `{"message":"Issues are disabled for this repo","documentation_url":"https://docs.github.com/v3/issues/"}`}},
		{"503", githubtest.Fault{Method: "POST", Path: "issues", Status: http.StatusServiceUnavailable, Times: maxAttempts}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, srv, clk := setup(t)
			srv.Inject(tc.fault)
			res, _, err := openWith(t, c, clk, demoPlan(t, "2026-12"), 50)
			var refused *RefusedError
			if err == nil || errors.As(err, &refused) || len(res.Created) != 0 || len(srv.Issues()) != 0 {
				t.Errorf("%+v, %v", res, err)
			}
			var unsure *forge.UncertainError
			if tc.name == "503" && !errors.As(err, &unsure) {
				t.Errorf("503: %v, want the uncertain answer", err)
			}
		})
	}
}

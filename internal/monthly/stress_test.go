package monthly

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/posture-dev/posture/internal/forge/githubtest"
)

// TestOpenUnderRandomFaults opens 120 issues while a seeded random third of
// GitHub's answers to the opener go wrong in every way it must survive.
// A run that gets no certain answer for one issue in five tries stops (as
// in an outage); runs are repeated until none is missing, and every
// subject ends with exactly one issue.
func TestOpenUnderRandomFaults(t *testing.T) {
	const subjects = 120
	var plan []Planned
	g := DefaultGuide()
	g.Due, g.Timezone, g.RepoURL = "2026-12-10", "Asia/Tokyo", "https://github.com/acme/device-reports"
	for i := range subjects {
		s := Subject{ID: fmt.Sprintf("e%04d", i), Name: fmt.Sprint("Person ", i), Login: fmt.Sprint("person-", i),
			Devices: []Device{{ID: fmt.Sprintf("d-e%04d-laptop", i), Type: "laptop", Platform: "windows", Model: "X"}}}
		plan = append(plan, Planned{Subject: s, Title: Title("2026-12", s), Body: g.Body("2026-12", s), Assignees: []string{s.Login}})
	}
	c, srv, clk := setup(t)
	for _, l := range []string{"report/2026-12", "form/monthly-report", "form/register-device", "form/retire-device", "form/request-exception"} {
		srv.AddLabel(githubtest.Label{Name: l})
	}
	rng := rand.New(rand.NewPCG(4, 2026))
	kinds := map[string]int{}
	for range 3 * subjects {
		if rng.IntN(3) > 0 { // a normal answer, after a millisecond: spreads the faults out
			srv.Inject(githubtest.Fault{Method: "POST", Path: "issues", Delay: time.Millisecond})
			continue
		}
		var f githubtest.Fault
		switch k := rng.IntN(7); k {
		case 0:
			f, kinds["500 on create"] = githubtest.ServerError("POST", "issues", 500), kinds["500 on create"]+1
		case 1:
			f, kinds["502 after creating"] = githubtest.Lost("POST", "issues", 502), kinds["502 after creating"]+1
		case 2:
			f, kinds["403 secondary, retry-after"] = githubtest.SecondaryRateLimit("POST", "issues", http.StatusForbidden, time.Duration(rng.IntN(60))*time.Second), kinds["403 secondary, retry-after"]+1
		case 3:
			f, kinds["429 secondary"] = githubtest.SecondaryRateLimit("POST", "issues", http.StatusTooManyRequests, 0), kinds["429 secondary"]+1
		case 4:
			f, kinds["timeout"] = githubtest.Slow("POST", "issues", time.Second), kinds["timeout"]+1
		case 5: // followed by normal answers: a listing is retried five times, not forever
			f, kinds["503 on list"] = githubtest.ServerError("GET", "issues", 503), kinds["503 on list"]+1
			srv.Inject(f, githubtest.Fault{Method: "GET", Path: "issues", Delay: time.Millisecond, Times: 2})
			continue
		case 6:
			f, kinds["504 after creating"] = githubtest.Lost("POST", "issues", 504), kinds["504 after creating"]+1
		}
		srv.Inject(f)
	}
	start := time.Now()
	runs, created, log := 0, 0, ""
	for ; runs < 10; runs++ {
		res, out, err := openWith(t, c, clk, plan, 500)
		created, log = created+len(res.Created), log+out
		if err == nil && res.Remaining == 0 {
			break
		}
		t.Logf("run %d stopped with %d missing: %v", runs+1, res.Remaining, err)
	}
	again, _, err := openWith(t, c, clk, plan, 500)
	if err != nil || len(again.Created) != 0 {
		t.Errorf("re-run: %+v %v", again, err)
	}
	counts := keys(t, srv)
	dups := 0
	for _, n := range counts {
		if n != 1 {
			dups++
		}
	}
	if len(counts) != subjects || dups != 0 || len(srv.Issues()) != subjects {
		t.Errorf("%d subjects with issues, %d with more than one, %d issues; want %d, 0, %d", len(counts), dups, len(srv.Issues()), subjects, subjects)
	}
	t.Logf("faults queued (not all reached): %v", kinds)
	t.Logf("%d run(s); %d issues for %d subjects, %d duplicates; POST /issues %d (%d settled by listing: %d found after a lost answer, %d tried again); "+
		"GET /issues %d; simulated waiting %s; wall %s", runs+1, len(srv.Issues()), len(counts), dups, srv.Calls("POST", "issues"),
		strings.Count(log, "found #")+strings.Count(log, "trying again"), strings.Count(log, "found #"), strings.Count(log, "trying again"),
		srv.Calls("GET", "issues"), clk.Waited().Round(time.Second), time.Since(start).Round(time.Millisecond))
}

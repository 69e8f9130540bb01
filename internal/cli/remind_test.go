package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/posture-dev/posture/internal/monthly"
)

func TestRemindCommand(t *testing.T) {
	// November: the demo lacks the reports of e1004's tablet, e1006's two
	// devices and e1009's laptop; the due day (the 10th) has passed.
	e := newCycleEnv(t, time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC))
	if code, out, errOut := e.run("open-issues", "--period", "2026-11"); code != ExitOK {
		t.Fatalf("open-issues: %d\n%s%s", code, out, errOut)
	}
	code, stdout, stderr := e.run("remind", "--period", "2026-11")
	if code != ExitOK || !strings.Contains(stdout, "2026-11: 10 comments, 7 issues closed, 0 not reminded yet, 0 left alone") {
		t.Fatalf("remind: exit %d\n%s%s", code, stdout, stderr)
	}
	byID := map[string]int{}
	for _, is := range e.gh.Issues() {
		_, id, _ := monthly.ParseKey(is.Body)
		byID[id] = is.Number
		want := "closed"
		if id == "e1004" || id == "e1006" || id == "e1009" {
			want = "open"
		}
		if is.State != want {
			t.Errorf("%s: %s, want %s", id, is.State, want)
		}
	}
	cms := e.gh.Comments(byID["e1004"])
	if len(cms) != 1 || !strings.Contains(cms[0].Body, "`d-e1004-tablet` were due on 2026-11-10") ||
		!strings.Contains(cms[0].Body, "@kenji-watanabe-example, as Yuki Nakamura's supervisor") {
		t.Errorf("e1004: %+v", cms)
	}

	// Run again: nothing new.
	if code, stdout, _ = e.run("remind", "--period", "2026-11"); code != ExitOK || !strings.Contains(stdout, "0 comments, 0 issues closed") {
		t.Errorf("again: exit %d\n%s", code, stdout)
	}

	// The tablet's report is merged on main: the issue closes, naming the pull request.
	e.write("reports/2026-11/d-e1004-tablet.yaml", "period: \"2026-11\"\n")
	e.commit("Merge pull request #77 from acme/posture/issue-31\n\nReport 2026-11 for d-e1004-tablet", time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC))
	e.now = time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)
	if code, stdout, _ = e.run("remind", "--period", "2026-11"); code != ExitOK || !strings.Contains(stdout, "1 comments, 1 issues closed") {
		t.Errorf("after the merge: exit %d\n%s", code, stdout)
	}
	cms = e.gh.Comments(byID["e1004"])
	if last := cms[len(cms)-1].Body; !strings.Contains(last, "`reports/2026-11/d-e1004-tablet.yaml` (#77)") {
		t.Errorf("closing comment: %s", last)
	}
}

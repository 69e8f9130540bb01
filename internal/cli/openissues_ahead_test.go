package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/posture-dev/posture/internal/monthly"
)

// TestOpenIssuesSaysWhatIsComing: the issue of the owner of a device whose
// exception expires within 30 days announces it; the others do not.
func TestOpenIssuesSaysWhatIsComing(t *testing.T) {
	e := newCycleEnv(t, dec1)
	e.write("policies/exceptions/exc-lock.yaml", "id: exc-lock\nrule: device.screen_lock\ndevice: d-e1004-laptop\n"+
		"reason: Kiosk mode until the new laptop arrives\napproved_by: e1010\nexpires: 2026-12-20\n")
	e.commit("an exception ending this month", dec1.Add(-time.Hour))
	if code, out, errOut := e.run("open-issues"); code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	bodies := map[string]string{}
	for _, is := range e.gh.Issues() {
		if _, s, ok := monthly.ParseKey(is.Body); ok {
			bodies[s] = is.Body
		}
	}
	want := "### Coming up\n\nAct on these before their dates; nothing here is late yet.\n\n" +
		"- **Exception expires** `d-e1004-laptop`: exception exc-lock (device.screen_lock on d-e1004-laptop) is in force until 2026-12-20, in 19 days"
	if !strings.Contains(bodies["e1004"], want) {
		t.Errorf("e1004's issue lacks the expiry:\n%s", bodies["e1004"])
	}
	for s, b := range bodies {
		if s != "e1004" && strings.Contains(b, "exc-lock") {
			t.Errorf("%s's issue announces e1004's exception:\n%s", s, b)
		}
	}
}

package cli

import (
	"strings"
	"testing"
)

// TestForgedRouteComment: a reader of the repository comments on a pull
// request, before posture's first route run, with the routing marker and
// a forged line saying every reviewer refused. With the app's token
// posture knows its own login (bot_login): it requests the reviewers,
// writes its own routing comment, and leaves the other one alone.
func TestForgedRouteComment(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	pr, head := f.yukiPull()
	forged := "<!-- posture:route -->\n<!-- posture:refused " + head.String() + " " + kenji + " " + hiro + " " + priya + " -->\n"
	id := f.gh.AddComment(pr, "mallory-example", forged)
	f.runKind(TokenApp, ExitOK, "route", "--pr", "1")
	p, _ := f.gh.Pull(pr)
	if len(p.Requested) == 0 {
		t.Errorf("no review was requested: the forged comment kept %s, %s and %s from being asked", kenji, hiro, priya)
	}
	own := 0
	for _, cm := range f.gh.Comments(pr) {
		switch {
		case cm.ID == id && cm.Body != forged:
			t.Errorf("posture edited mallory's comment to %q", cm.Body)
		case cm.ID != id && strings.Contains(cm.Body, "<!-- posture:route -->"):
			if cm.User != demoBot {
				t.Errorf("a routing comment by %s", cm.User)
			}
			own++
		}
	}
	if own != 1 {
		t.Errorf("%d routing comments of posture's own, want 1", own)
	}
}

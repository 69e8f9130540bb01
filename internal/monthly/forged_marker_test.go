package monthly

import (
	"strings"
	"testing"
)

// TestForgedStepMarker: a late employee comments on their own monthly
// issue with nothing but the hidden marker of the overdue step (it renders
// as an empty comment). With the client knowing posture's own login, the
// marker is not posture's, and the supervisor is told all the same.
func TestForgedStepMarker(t *testing.T) {
	c, srv, _ := setup(t)
	c.SetSelf("posture[bot]") // the fake server's actor
	nums := seedIssues(srv, demoPlan(t, "2026-12"))
	n := nums["e1004"]
	srv.AddComment(n, "yuki-nakamura-example", StepMarker("2026-12", "e1004", StepOverdue))
	remind(t, c, remindOpts(t, "2026-12-11"))
	for _, cm := range srv.Comments(n) {
		if cm.User == "posture[bot]" && strings.Contains(cm.Body, "please follow up") {
			return
		}
	}
	t.Errorf("the supervisor was never told: comments on #%d: %+v", n, srv.Comments(n))
}

package evidence

import (
	"reflect"
	"strings"
	"testing"
)

func TestMergeCommit(t *testing.T) {
	e := sample()
	head := e.Approvals[0].Commit
	title, message := e.MergeCommit("  Report 2026-11\n for e1004 ", head)
	if title != "Report 2026-11 for e1004 (#42)" {
		t.Errorf("title = %q", title)
	}
	wantBody := "Accepted by posture: the supervisor @kenji-w (2a) and the contractor @h-kondo (2b) approved " + head + ".\n\n"
	if !strings.HasPrefix(message, wantBody) || !strings.HasSuffix(message, e.Trailers()) {
		t.Errorf("message:\n%s", message)
	}
	full := FullMessage(title, message)
	if full != e.Message(title, strings.TrimSuffix(wantBody, "\n\n")) {
		t.Errorf("full message differs from Message:\n%s", full)
	}
	got, found, err := Parse(full)
	if err != nil || !found || !reflect.DeepEqual(got, e) {
		t.Errorf("Parse(full) = %+v, %v, %v", got, found, err)
	}
}

func TestMergeCommitNamesApproversByRole(t *testing.T) {
	e := sample()
	e.Approvals[0], e.Approvals[1] = e.Approvals[1], e.Approvals[0]
	_, message := e.MergeCommit("T", "abc")
	if !strings.HasPrefix(message, "Accepted by posture: the supervisor @kenji-w (2a) and the contractor @h-kondo (2b) approved abc.") {
		t.Errorf("message:\n%s", message)
	}
}

package cli

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/posture-dev/posture/internal/forge/githubtest"
	"github.com/posture-dev/posture/internal/issuelink"
)

func TestFromIssueCommand(t *testing.T) {
	const report = "reports/2026-11/d-e1004-laptop.yaml"
	e := newCycleEnv(t, time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC), report)
	body, err := os.ReadFile("../issueform/testdata/report-ok.md")
	if err != nil {
		t.Fatal(err)
	}
	author := "yuki-nakamura-example"
	n := e.gh.AddIssue(githubtest.Issue{Title: "Device report", Author: author, Labels: []string{"form/monthly-report"}, Body: string(body)})

	code, stdout, stderr := e.run("from-issue", "--issue", "1")
	if code != ExitOK || !strings.Contains(stdout, "issue #1: pull request #2") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	pr, _ := e.gh.Pull(2)
	if pr.Head != issuelink.Branch(n) || !strings.Contains(pr.Body, issuelink.Marker(n)) || !strings.Contains(pr.Body, "@"+author) {
		t.Errorf("pull request %+v", pr)
	}
	if _, ok := e.gh.File(issuelink.Branch(n), report); !ok {
		t.Error("no report on the branch")
	}

	// A form with problems: exit 1, each problem printed and commented.
	bad := strings.Replace(string(body), "### Screen lock after (minutes)\n\n5", "### Screen lock after (minutes)\n\n45", 1)
	m := e.gh.AddIssue(githubtest.Issue{Title: "Device report", Author: author, Labels: []string{"form/monthly-report"}, Body: bad})
	code, stdout, _ = e.run("from-issue", "--issue", "3")
	if code != ExitFindings || !strings.Contains(stdout, "screen_lock_minutes: screen_lock_minutes is 45") {
		t.Errorf("bad form: exit %d\n%s", code, stdout)
	}
	if cms := e.gh.Comments(m); len(cms) != 1 || !strings.Contains(cms[0].Body, "**Screen lock after (minutes)**") {
		t.Errorf("comments: %+v", cms)
	}

	// Not a form: a usage error, nothing written.
	plain := e.gh.AddIssue(githubtest.Issue{Title: "help", Author: author, Body: "my laptop is slow"})
	if code, _, stderr = e.run("from-issue", "--issue", strconv.Itoa(plain)); code != ExitUsage || !strings.Contains(stderr, "was not opened from a form") {
		t.Errorf("plain issue: exit %d\n%s", code, stderr)
	}
	if code, _, stderr = e.run("from-issue"); code != ExitUsage || !strings.Contains(stderr, "--issue N") {
		t.Errorf("no issue: exit %d\n%s", code, stderr)
	}
}

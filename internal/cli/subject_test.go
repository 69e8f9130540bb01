package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/codeowners"
	"github.com/posture-dev/posture/internal/forge/githubtest"
	"github.com/posture-dev/posture/internal/issuelink"
)

func TestSubject(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, head := f.yukiPull()
	issue := f.gh.AddIssue(githubtest.Issue{Title: "Monthly report", Author: daniel})
	botPR := f.pull(githubtest.Pull{Issue: githubtest.Issue{Title: "Report", Author: bot + "[bot]", Body: issuelink.Marker(issue)},
		Head: issuelink.Branch(issue)}, head)
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{name: "the author", args: []string{"--pr", "1"}, stdout: yuki + "\n"},
		{name: "the issue's author of the bot's pull request, as an app", args: []string{"--pr", strconv.Itoa(botPR)}, stdout: daniel + "\n"},
		{name: "two pull requests with one head", args: []string{"--head-sha", head.String()[:40], "--format", "env"}, code: ExitUsage,
			stderr: "all have head"},
		{name: "no pull request", args: []string{"--pr", "99"}, code: ExitUsage, stderr: "no pull request #99"},
		{name: "no such head", args: []string{"--head-sha", strings.Repeat("ab", 20)}, code: ExitUsage, stderr: "no open pull request has head"},
		{name: "both", args: []string{"--pr", "1", "--head-sha", "abc"}, code: ExitUsage, stderr: "one of them"},
		{name: "neither", args: nil, code: ExitUsage, stderr: "one of them"},
		{name: "bad format", args: []string{"--pr", "1", "--format", "json"}, code: ExitUsage, stderr: `unknown --format "json"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := f.run(append([]string{"subject"}, tt.args...)...)
			if code != tt.code || stdout != tt.stdout && tt.stdout != "" || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
			}
		})
	}

	// With one pull request per head, --head-sha finds it for a workflow_run.
	g := newFixture(t)
	_, head = g.yukiPull()
	out, _ := g.mustRun(ExitOK, "subject", "--head-sha", head.String(), "--format", "env")
	if out != "pr=1\nhead="+head.String()+"\nlogin="+yuki+"\n" {
		t.Errorf("env output %q", out)
	}
	// A refused one still names the pull request, so route and gate can say why.
	g.gh.AddIssue(githubtest.Issue{Title: "x", Author: yuki})
	botHead := g.branch("posture/issue-2", func() { g.addReport(yukiReport) })
	g.pull(githubtest.Pull{Issue: githubtest.Issue{Title: "Report", Author: bot, Body: "no marker"}, Head: "posture/issue-2"}, botHead)
	code, out, stderr := g.run("subject", "--head-sha", botHead.String(), "--format", "env")
	if code != ExitFindings || out != "pr=3\nhead="+botHead.String()+"\nlogin=\n" || !strings.Contains(stderr, "refused") {
		t.Errorf("refused: exit %d, %q, %q", code, out, stderr)
	}
}

func TestCodeowners(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, stderr := f.mustRun(ExitFindings, "codeowners", "--check")
	if !strings.Contains(stderr, "missing or stale") {
		t.Errorf("--check without the file: %s", stderr)
	}
	out, _ := f.mustRun(ExitOK, "codeowners")
	if !strings.Contains(out, "wrote .github/CODEOWNERS: the trusted paths are owned by @mei-fujita-example") {
		t.Errorf("codeowners: %s", out)
	}
	got := f.Read(codeowners.File)
	repo, err := os.ReadFile(filepath.Join("../..", codeowners.File))
	if err != nil || got != string(repo) {
		t.Errorf("the repository's %s is not what posture codeowners makes of its people/ (%v):\n%s", codeowners.File, err, got)
	}
	out, _ = f.mustRun(ExitOK, "codeowners", "--check")
	if !strings.Contains(out, "up to date") {
		t.Errorf("--check: %s", out)
	}
	// A new IT admin makes it stale, for posture codeowners and for posture check.
	f.Write("people/e1012.yaml", strings.Replace(f.Read("people/e1012.yaml"), "role: auditor", "role: it-admin", 1))
	f.mustRun(ExitFindings, "codeowners", "--check")
	out, _ = f.mustRun(ExitFindings, "check")
	if !strings.Contains(out, ".github/CODEOWNERS:1:1: .github/CODEOWNERS does not match people/") {
		t.Errorf("check: %s", out)
	}
	f.mustRun(ExitOK, "codeowners")
	if !strings.Contains(f.Read(codeowners.File), "@grace-kim-example @mei-fujita-example") {
		t.Errorf("regenerated:\n%s", f.Read(codeowners.File))
	}
	_, stderr = f.mustRun(ExitUsage, "codeowners", "-C", t.TempDir())
	if !strings.Contains(stderr, "has no people/ folder") {
		t.Errorf("no people/: %s", stderr)
	}
	// A person record that does not parse stops it, rather than taking its
	// IT admin off the owners.
	before := f.Read(codeowners.File)
	f.Write("people/e1012.yaml", f.Read("people/e1012.yaml")+"role: [\n")
	_, stderr = f.mustRun(ExitUsage, "codeowners")
	if !strings.Contains(stderr, "people/e1012.yaml cannot be read") || !strings.Contains(stderr, "fix it first") {
		t.Errorf("a broken person: %s", stderr)
	}
	if f.Read(codeowners.File) != before {
		t.Error("CODEOWNERS changed with a person record broken")
	}
}

package cli

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/forge/githubtest"
)

// runKind runs posture like f.run, with $POSTURE_TOKEN_KIND set to kind
// (unset when empty), and fails the test unless it exits with code. As on
// GitHub, what the token writes is the app's bot's (the demo's bot_login)
// or GitHub Actions' own.
func (f *fixture) runKind(kind string, code int, args ...string) (stdout, stderr string) {
	f.t.Helper()
	switch kind {
	case TokenApp:
		f.gh.SetActor(demoBot)
	case TokenActions:
		f.gh.SetActor("github-actions[bot]")
	}
	var out, errOut bytes.Buffer
	streams := IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	env := map[string]string{"GITHUB_REPOSITORY": githubtest.Owner + "/" + githubtest.Repo,
		"GITHUB_TOKEN": "ghs_test", "GITHUB_API_URL": f.gh.URL(), "POSTURE_TOKEN_KIND": kind}
	fac := &Factory{IO: streams, Now: func() time.Time { return checkAt }, Getenv: func(k string) string { return env[k] },
		HTTPClient: f.gh.Client(), TuneGitHub: func(o *forge.Options) {
			o.Sleep, o.Now = f.clock.Sleep, f.clock.Now
			o.AttemptTimeout, o.CreateInterval = f.attempt, time.Millisecond
			o.Log = githubtest.TestLog(f.t)
		}}
	got := Execute(NewCmdRoot(fac), append(args, "-C", f.Dir), streams)
	if got != code {
		f.t.Fatalf("POSTURE_TOKEN_KIND=%s posture %s: exit %d, want %d\nstdout: %s\nstderr: %s",
			kind, strings.Join(args, " "), got, code, out.String(), errOut.String())
	}
	return out.String(), errOut.String()
}

// The approvals still missing on yuki's pull request before any review:
// 119 characters, too long for GitHub with the evaluation suffix.
const yukiMissing = "missing 2a supervisor @" + kenji + " (e1002); 2b contractor @" + hiro + " or @" + priya

// TestStatusSaysWhichToken: a status set with the workflow's GITHUB_TOKEN
// says it is for evaluation only, within GitHub's 140 characters and
// without losing the suffix; the app's statuses say nothing more.
func TestStatusSaysWhichToken(t *testing.T) {
	t.Parallel()
	cut := []rune(yukiMissing)[:140-utf8.RuneCountInString(actionsTokenSuffix)-1]
	tests := []struct {
		name, kind      string
		check, approval string
	}{
		{name: "the posture app", kind: TokenApp,
			check: "checked 1 file: no problems", approval: yukiMissing},
		{name: "the GitHub Actions token", kind: TokenActions,
			check:    "checked 1 file: no problems (GitHub Actions token: evaluation only)",
			approval: string(cut) + "… (GitHub Actions token: evaluation only)"},
		{name: "a person's own token", kind: "",
			check: "checked 1 file: no problems", approval: yukiMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			_, head := f.yukiPull()
			out, _ := f.runKind(tt.kind, ExitFindings, "gate", "--pr", "1")
			chk, apr := f.lastStatus(head, StatusCheck), f.lastStatus(head, StatusApprovals)
			if chk.Description != tt.check || apr.Description != tt.approval || apr.State != "pending" {
				t.Errorf("statuses:\n  %q\n  %q\nwant\n  %q\n  %q", chk.Description, apr.Description, tt.check, tt.approval)
			}
			if n := utf8.RuneCountInString(apr.Description); n > 140 {
				t.Errorf("description of %d characters", n)
			}
			if !strings.Contains(out, "posture/approvals: pending: "+tt.approval+"\n") {
				t.Errorf("gate prints another description than it set:\n%s", out)
			}
			// The same verdict again sets nothing: the stored description is
			// exactly the one compared with.
			f.runKind(tt.kind, ExitFindings, "gate", "--pr", "1")
			if n := f.gh.Calls("POST", "statuses/*"); n != 2 {
				t.Errorf("%d statuses set, want 2", n)
			}
		})
	}
}

// TestStatusFromTheAppAfterEvaluation: once the IT admin sets up the app,
// its first run sets its own statuses, though the GitHub Actions token's
// say the same state: the ruleset counts only the app's.
func TestStatusFromTheAppAfterEvaluation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	pr := f.approved()
	p, _ := f.gh.Pull(pr)
	f.runKind(TokenActions, ExitOK, "gate", "--pr", "1")
	f.runKind(TokenApp, ExitOK, "gate", "--pr", "1")
	sts := f.gh.Statuses(p.HeadSHA)
	var got []string
	for _, s := range sts {
		got = append(got, fmt.Sprint(s.Creator, " ", s.Context, " ", s.State, " ", strings.HasSuffix(s.Description, actionsTokenSuffix)))
	}
	want := []string{
		"github-actions[bot] posture/check success true", "github-actions[bot] posture/approvals success true",
		demoBot + " posture/check success false", demoBot + " posture/approvals success false",
	}
	if !slices.Equal(got, want) {
		t.Errorf("statuses (creator context state suffix):\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// demoBot is bot_login in testdata/demo/posture.yaml.
const demoBot = "posture-bot[bot]"

// TestStatusNotFromPosture: another account with write access posts, on the
// head commit, exactly the statuses posture would post. They do not count
// as posture's: the next gate run posts the app's own, which a ruleset can
// require by their source.
func TestStatusNotFromPosture(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, head := f.yukiPull()
	f.runKind(TokenApp, ExitFindings, "gate", "--pr", "1")
	f.gh.SetActor("mallory")
	evil, err := forge.New(forge.Options{HTTPClient: f.gh.Client(), BaseURL: f.gh.URL(), Token: "ghp_mallory",
		Owner: githubtest.Owner, Repo: githubtest.Repo, CreateInterval: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []githubtest.Status{f.lastStatus(head, StatusCheck), f.lastStatus(head, StatusApprovals)} {
		if err := evil.SetStatus(context.Background(), head.String(), s.Context, s.State, s.Description, ""); err != nil {
			t.Fatal(err)
		}
	}
	f.runKind(TokenApp, ExitFindings, "gate", "--pr", "1")
	for _, c := range []string{StatusCheck, StatusApprovals} {
		if s := f.lastStatus(head, c); s.Creator != demoBot {
			t.Errorf("the newest %s is %s's (%s: %s), not the app's", c, s.Creator, s.State, s.Description)
		}
	}
	f.runKind(TokenApp, ExitFindings, "gate", "--pr", "1")
	if n := f.gh.Calls("POST", "statuses/*"); n != 6 {
		t.Errorf("%d statuses posted, want 6: the app's two, mallory's two, the app's two again, then none", n)
	}
}

func TestTokenKindUnknown(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"gate", "route", "merge"} {
		t.Run(cmd, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			f.yukiPull()
			_, stderr := f.runKind("pat", ExitUsage, cmd, "--pr", "1")
			if !strings.Contains(stderr, `set $POSTURE_TOKEN_KIND to "app" (the posture app's installation token) or "actions"`) ||
				!strings.Contains(stderr, `got "pat"`) {
				t.Errorf("stderr: %s", stderr)
			}
			if n := len(f.gh.Log()); n != 0 {
				t.Errorf("%d calls to GitHub with a token of unknown kind", n)
			}
		})
	}
}

func TestStatusDescription(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 150)
	kana := strings.Repeat("報", 150) // 3 bytes each: GitHub counts characters
	tests := []struct {
		name, text, kind, want string
	}{
		{"short, app", "checked 2 files: no problems", TokenApp, "checked 2 files: no problems"},
		{"short, actions", "checked 2 files: no problems", TokenActions, "checked 2 files: no problems" + actionsTokenSuffix},
		{"140 characters, app", long[:140], TokenApp, long[:140]},
		{"141 characters, app", long[:141], TokenApp, long[:139] + "…"},
		{"100 characters, actions", long[:100], TokenActions, long[:100] + actionsTokenSuffix},
		{"101 characters, actions", long[:101], TokenActions, long[:99] + "…" + actionsTokenSuffix},
		{"characters, not bytes", kana, TokenActions, string([]rune(kana)[:99]) + "…" + actionsTokenSuffix},
		{"no kind", long, "", long[:139] + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := statusDescription(tt.text, tt.kind)
			if got != tt.want {
				t.Errorf("statusDescription = %q (%d characters), want %q", got, utf8.RuneCountInString(got), tt.want)
			}
			if n := utf8.RuneCountInString(got); n > maxDescription {
				t.Errorf("%d characters", n)
			}
		})
	}
}

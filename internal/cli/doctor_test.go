package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/posture-dev/posture/internal/doctor"
	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/forge/githubtest"
)

const (
	doctorAppID     = 12345
	doctorClientID  = "Iv23liDOCTOR00000001"
	adminToken      = "ghs_admin"
	appInstallToken = "ghs_app"
)

// doctorPermissions are the posture app's permissions, as docs/admin.md lists them.
func doctorPermissions() map[string]string {
	return map[string]string{"contents": "write", "pull_requests": "write", "issues": "write",
		"statuses": "write", "metadata": "read"}
}

// doctorSeed is what the fake GitHub is seeded with; greenSeed holds
// everything posture doctor asks for.
type doctorSeed struct {
	repo         githubtest.RepoSettings
	ruleset      *githubtest.Ruleset
	env          *githubtest.Environment
	repoSecrets  []string // the repository's own Actions secrets
	orgSecrets   []string // the organization secrets shared with it
	labels       []string
	actions      githubtest.Actions
	installRepos []string
	app          *githubtest.App // nil: GitHub knows no app
	postureYAML  string          // the clone's posture.yaml; "" for none
}

func greenSeed() doctorSeed {
	vars := map[string]string{doctor.ClientIDVariable: doctorClientID}
	for i := range 40 { // more than GitHub's 30 a page: the client id is on the second
		vars[fmt.Sprintf("A%02d", i)] = "x"
	}
	labels := []string{}
	for i := range 120 { // the labels posture uses are on the second page
		labels = append(labels, fmt.Sprintf("area %03d", i))
	}
	return doctorSeed{
		ruleset: &githubtest.Ruleset{Name: "posture", Rules: []githubtest.Rule{{Type: "deletion"}, {Type: "non_fast_forward"},
			githubtest.PullRequestRule(true), githubtest.StatusChecksRule(doctorAppID, StatusCheck, StatusApprovals)}},
		env: &githubtest.Environment{Name: doctor.Environment, Branches: "custom",
			Policies: []githubtest.BranchPolicy{{Name: githubtest.DefaultBranch}},
			Secrets:  []string{doctor.KeySecret}, Variables: vars},
		repoSecrets: []string{"DEPLOY_KEY"},
		orgSecrets:  []string{"NPM_TOKEN"},
		labels:      append(labels, doctor.Labels()...),
		actions: githubtest.Actions{Allowed: "selected", GitHubOwned: true,
			Patterns: []string{"posture-dev/posture@*"}},
		installRepos: []string{"acme/elsewhere", githubtest.Owner + "/" + githubtest.Repo},
		app: &githubtest.App{Slug: "acme-posture", ID: doctorAppID, ClientID: doctorClientID,
			Permissions: doctorPermissions()},
		postureYAML: "organization: Acme\ntimezone: Asia/Tokyo\nbot_login: acme-posture[bot]\n",
	}
}

// doctorEnv is a fake GitHub seeded for posture doctor, and the process
// environment posture runs with.
type doctorEnv struct {
	t   *testing.T
	gh  *githubtest.Server
	env map[string]string
	dir string // the clone, with the seed's posture.yaml
}

func newDoctorEnv(t *testing.T, s doctorSeed) *doctorEnv {
	gh := githubtest.New(t)
	gh.RequireToken(adminToken)
	gh.SetRepoSettings(s.repo)
	if s.ruleset != nil {
		gh.AddRuleset(*s.ruleset)
	}
	if s.env != nil {
		gh.AddEnvironment(*s.env)
	}
	gh.SetRepoSecrets(s.repoSecrets...)
	gh.SetOrgSecrets(s.orgSecrets...)
	for _, l := range s.labels {
		gh.AddLabel(githubtest.Label{Name: l, Color: "ededed"})
	}
	gh.SetActions(s.actions)
	gh.SetInstallation(appInstallToken, s.installRepos...)
	if s.app != nil {
		gh.AddApp(*s.app)
	}
	return &doctorEnv{t: t, gh: gh, env: map[string]string{"GITHUB_TOKEN": adminToken, "GITHUB_API_URL": gh.URL(),
		doctor.AppTokenEnv: appInstallToken}, dir: withPostureYAML(t, t.TempDir(), s.postureYAML)}
}

// withPostureYAML writes content as dir's posture.yaml, unless it is empty.
func withPostureYAML(t *testing.T, dir, content string) string {
	t.Helper()
	if content != "" {
		if err := os.WriteFile(filepath.Join(dir, "posture.yaml"), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// run runs posture with args against the fake.
func (e *doctorEnv) run(args ...string) (code int, stdout, stderr string) {
	e.t.Helper()
	var out, errOut bytes.Buffer
	streams := IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	clock := githubtest.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	fac := &Factory{IO: streams, Now: clock.Now, Getenv: func(k string) string { return e.env[k] },
		HTTPClient: e.gh.Client(), TuneGitHub: func(o *forge.Options) {
			o.Sleep, o.Now, o.AfterFunc = clock.Sleep, clock.Now, clock.AfterFunc
			o.Log = githubtest.TestLog(e.t)
		}}
	code = Execute(NewCmdRoot(fac), args, streams)
	return code, out.String(), errOut.String()
}

func (e *doctorEnv) doctor(code int, args ...string) (stdout, stderr string) {
	e.t.Helper()
	got, stdout, stderr := e.run(append([]string{"doctor", "-R", githubtest.Owner + "/" + githubtest.Repo, "-C", e.dir}, args...)...)
	if got != code {
		e.t.Fatalf("posture doctor: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", got, code, stdout, stderr)
	}
	return stdout, stderr
}

func lines(s string) []string { return strings.Split(strings.TrimSuffix(s, "\n"), "\n") }

func TestDoctorAllGreen(t *testing.T) {
	e := newDoctorEnv(t, greenSeed())
	out, errOut := e.doctor(ExitOK)
	got := lines(out)
	if len(got) != 24 {
		t.Errorf("%d lines, want 24:\n%s", len(got), out)
	}
	for _, l := range got {
		if !strings.HasPrefix(l, "ok   ") {
			t.Errorf("line %q is not ok", l)
		}
	}
	if errOut != "" {
		t.Errorf("stderr: %s", errOut)
	}
	for _, want := range []string{
		`ok   ruleset "posture" requires posture/approvals from the posture app (app id 12345)`,
		"ok   POSTURE_APP_PRIVATE_KEY is no repository or organization secret, so jobs outside environment posture cannot read it",
		"ok   environment posture has the variable POSTURE_APP_CLIENT_ID (Iv23liDOCTOR00000001)",
		"ok   the 8 labels posture uses exist",
		`ok   bot_login "acme-posture[bot]" in ` + filepath.Join(e.dir, "posture.yaml") + " names the GitHub App acme-posture",
		"ok   the GitHub App acme-posture exists (app id 12345, owned by acme)",
		"ok   the variable POSTURE_APP_CLIENT_ID of environment posture is the client id of the GitHub App acme-posture",
		"ok   the GitHub App acme-posture has the permissions posture uses and no other: Contents: write, Pull requests: write, Issues: write, Commit statuses: write, Metadata: read",
		"ok   the GitHub App acme-posture subscribes to no events",
		"ok   the installation behind $POSTURE_APP_TOKEN reaches acme/device-reports",
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("no line %q in\n%s", want, out)
		}
	}
	// Paged: the variables 30 at a time, the labels 100 at a time.
	if n := e.gh.Calls("GET", "environments/posture/variables"); n != 2 {
		t.Errorf("variables read in %d pages, want 2", n)
	}
	if n := e.gh.Calls("GET", "labels"); n != 2 {
		t.Errorf("labels read in %d pages, want 2", n)
	}
	if n := e.gh.Calls("GET", "/apps/acme-posture"); n != 1 {
		t.Errorf("the app read %d times, want once", n)
	}
	for _, c := range e.gh.Log() {
		if c.Method != "GET" {
			t.Errorf("posture doctor sent %s %s; it must only read", c.Method, c.Path)
		}
	}
}

// TestDoctorEachItemBroken breaks one setting at a time: the run exits 1,
// the item's line fails and says what to do, and every other line holds.
func TestDoctorEachItemBroken(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(*doctorSeed)
		line   string // the failing line starts with "FAIL " and contains this
		args   []string
	}{
		{"public", func(s *doctorSeed) { s.repo.Visibility = "public" },
			"repository acme/device-reports is public: anyone can read its people, devices and MAC addresses: Settings → General → Danger Zone → Change repository visibility → Private", nil},
		{"no merge commits", func(s *doctorSeed) { s.repo.AllowMergeCommit = new(bool) },
			"merge commits are not allowed", nil},
		{"ruleset in evaluate mode", func(s *doctorSeed) { s.ruleset.Enforcement = "evaluate" },
			"Rulesets → posture → Enforcement status → Active", nil},
		{"bypass list", func(s *doctorSeed) {
			s.ruleset.BypassActors = []githubtest.BypassActor{{ActorID: 5, ActorType: "RepositoryRole"}}
		}, `ruleset "posture" may be bypassed by RepositoryRole 5 (always)`, nil},
		{"approvals from GitHub Actions", func(s *doctorSeed) {
			s.ruleset.Rules[3] = githubtest.StatusChecksRule(doctorAppID, StatusCheck)
			s.ruleset.Rules = append(s.ruleset.Rules, githubtest.StatusChecksRule(doctor.GitHubActionsAppID, StatusApprovals))
		}, "requires posture/approvals from GitHub Actions (app id 15368)", nil},
		{"approvals not required", func(s *doctorSeed) { s.ruleset.Rules[3] = githubtest.StatusChecksRule(doctorAppID, StatusCheck) },
			`ruleset "posture" does not require posture/approvals from the posture app (app id 12345): Settings → Rules → Rulesets → posture → Require status checks to pass → Add checks → posture/approvals`, nil},
		{"force pushes", func(s *doctorSeed) { s.ruleset.Rules[1] = githubtest.Rule{Type: "required_linear_history"} },
			"tick Block force pushes", nil},
		{"deletion", func(s *doctorSeed) { s.ruleset.Rules[0] = githubtest.Rule{Type: "required_signatures"} },
			"tick Restrict deletions", nil},
		{"code owners", func(s *doctorSeed) { s.ruleset.Rules[2] = githubtest.PullRequestRule(false) },
			"tick Require review from Code Owners", nil},
		{"no ruleset", func(s *doctorSeed) { s.ruleset = nil },
			"no ruleset applies to the default branch main", nil},
		{"no environment", func(s *doctorSeed) { s.env = nil },
			"environment posture does not exist", nil},
		{"every branch deploys", func(s *doctorSeed) { s.env.Branches = "" },
			"environment posture lets every branch deploy", nil},
		{"another branch deploys", func(s *doctorSeed) {
			s.env.Policies = append(s.env.Policies, githubtest.BranchPolicy{Name: "release/*"})
		}, `environment posture deploys from "main", "release/*", not from main only`, nil},
		{"protected branches", func(s *doctorSeed) { s.env.Branches = "protected" },
			"no branch is protected, and GitHub then lets every branch deploy", nil},
		{"no key", func(s *doctorSeed) { s.env.Secrets = nil },
			"Add environment secret POSTURE_APP_PRIVATE_KEY", nil},
		{"key a repository secret", func(s *doctorSeed) { s.repoSecrets = append(s.repoSecrets, "posture_app_private_key") },
			"POSTURE_APP_PRIVATE_KEY is a repository secret, which any workflow pushed to any branch can read, whatever the deployment branches of environment posture: Settings → Secrets and variables → Actions → Repository secrets → delete POSTURE_APP_PRIVATE_KEY; keep the key only in environment posture", nil},
		{"key an organization secret", func(s *doctorSeed) { s.orgSecrets = append(s.orgSecrets, doctor.KeySecret) },
			"POSTURE_APP_PRIVATE_KEY is an organization secret shared with the repository", nil},
		{"no client id", func(s *doctorSeed) { delete(s.env.Variables, doctor.ClientIDVariable) },
			"environment posture has no variable POSTURE_APP_CLIENT_ID, which the workflows pass to actions/create-github-app-token as client-id: Settings → Environments → posture → Environment variables → Add environment variable POSTURE_APP_CLIENT_ID", nil},
		{"a label missing", func(s *doctorSeed) { s.labels = s.labels[:len(s.labels)-1] },
			`1 of the 8 labels posture uses are missing: "form/request-exception"`, nil},
		{"local actions only", func(s *doctorSeed) { s.actions.Allowed = "local_only" },
			"GitHub Actions allows only the owner's own actions", nil},
		{"posture's action not allowed", func(s *doctorSeed) { s.actions.Patterns = nil },
			"GitHub Actions does not allow posture-dev/posture", nil},
		{"writing token", func(s *doctorSeed) { s.actions.DefaultPermissions = "write" },
			"GITHUB_TOKEN may read and write by default", nil},
		{"actions approve", func(s *doctorSeed) { s.actions.CanApprovePullRequests = true },
			"untick Allow GitHub Actions to create and approve pull requests", nil},
		{"app not installed here", func(s *doctorSeed) { s.installRepos = []string{"acme/elsewhere"} },
			"does not reach acme/device-reports, so the app can set no status there: organization settings → GitHub Apps → acme-posture → Configure → Repository access → add acme/device-reports", nil},

		// The app: with --app-id where bot_login cannot tell its id, so that the ruleset's lines hold.
		{"no posture.yaml", func(s *doctorSeed) { s.postureYAML = "" },
			"posture.yaml, whose bot_login names the posture app, so doctor cannot tell which GitHub App is the posture app: run posture doctor in the repository's clone (-C DIR), or write bot_login: <slug>[bot]",
			[]string{"--app-id", "12345"}},
		{"no bot_login", func(s *doctorSeed) { s.postureYAML = "organization: Acme\n" },
			"posture.yaml sets no bot_login, so doctor cannot tell which GitHub App is the posture app: write bot_login: <slug>[bot] in",
			[]string{"--app-id", "12345"}},
		{"bot_login of a user", func(s *doctorSeed) { s.postureYAML = "bot_login: acme-posture\n" },
			`bot_login "acme-posture" in`, []string{"--app-id", "12345"}},
		{"no such app", func(s *doctorSeed) { s.app = nil },
			"there is no GitHub App acme-posture, or it is private and the token may not see it: correct bot_login in", []string{"--app-id", "12345"}},
		{"--app-id of another app", func(s *doctorSeed) {
			s.ruleset.Rules[3] = githubtest.StatusChecksRule(999, StatusCheck, StatusApprovals)
		}, "the GitHub App acme-posture has app id 12345, but --app-id says 999: pass --app-id 12345", []string{"--app-id", "999"}},
		{"approvals from another app", func(s *doctorSeed) {
			s.ruleset.Rules[3] = githubtest.StatusChecksRule(doctorAppID, StatusCheck)
			s.ruleset.Rules = append(s.ruleset.Rules, githubtest.StatusChecksRule(777, StatusApprovals))
		}, `ruleset "posture" requires posture/approvals from app id 777, not from the posture app (app id 12345)`, nil},
		{"another app's client id", func(s *doctorSeed) { s.env.Variables[doctor.ClientIDVariable] = "Iv23liSOMEONEELSE" },
			`the variable POSTURE_APP_CLIENT_ID of environment posture is "Iv23liSOMEONEELSE", but the client id of the GitHub App acme-posture is "Iv23liDOCTOR00000001"`, nil},
		{"a permission too many", func(s *doctorSeed) { s.app.Permissions["workflows"] = "write" },
			"the GitHub App acme-posture has Workflows: write, which posture does not use: the settings of organization acme → Developer settings → GitHub Apps → acme-posture → Edit → Permissions & events", nil},
		{"a permission too few", func(s *doctorSeed) { delete(s.app.Permissions, "statuses") },
			"the GitHub App acme-posture lacks Commit statuses: write", nil},
		{"events", func(s *doctorSeed) { s.app.Events = []string{"pull_request"} },
			`the GitHub App acme-posture subscribes to the events "pull_request"`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := greenSeed()
			tt.break_(&s)
			out, errOut := newDoctorEnv(t, s).doctor(ExitFindings, tt.args...)
			var failed []string
			for _, l := range lines(out) {
				switch {
				case strings.HasPrefix(l, "FAIL "):
					failed = append(failed, l)
				case !strings.HasPrefix(l, "ok   "):
					t.Errorf("line %q is neither ok nor FAIL", l)
				}
			}
			if len(failed) != 1 || !strings.Contains(failed[0], tt.line) {
				t.Errorf("failing lines %q\nwant one containing %q", failed, tt.line)
			}
			if !strings.Contains(errOut, "1 of ") || !strings.Contains(errOut, "docs/doctor.md") {
				t.Errorf("stderr: %s", errOut)
			}
		})
	}
}

func TestDoctorWhatItCannotSee(t *testing.T) {
	t.Run("refusals", func(t *testing.T) {
		e := newDoctorEnv(t, greenSeed())
		e.gh.Inject(githubtest.Denied("GET", "rulesets", "administration=read"),
			githubtest.Denied("GET", "environments/posture/secrets", "environments=read"),
			githubtest.Denied("GET", "actions/organization-secrets", "secrets=read"))
		out, errOut := e.doctor(ExitFindings)
		for _, want := range []string{
			"??   cannot read the rulesets (403 Resource not accessible by personal access token): run with a token that has Administration: read\n",
			"??   cannot read the secrets of environment posture (403 Resource not accessible by personal access token): run with a token that has Environments: read\n",
			"??   cannot read the organization secrets shared with the repository (403 Resource not accessible by personal access token): run with a token that has Secrets: read\n",
			"ok   environment posture has the variable POSTURE_APP_CLIENT_ID (Iv23liDOCTOR00000001)\n",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("no line %q in\n%s", want, out)
			}
		}
		if !strings.Contains(errOut, "0 of 18 items fail, 3 could not be checked") {
			t.Errorf("stderr: %s", errOut)
		}
	})
	t.Run("no app token", func(t *testing.T) {
		e := newDoctorEnv(t, greenSeed())
		delete(e.env, doctor.AppTokenEnv)
		out, _ := e.doctor(ExitFindings)
		want := "??   cannot verify that the posture app is installed on acme/device-reports (GitHub tells that only to the app itself): run with the app's installation token in $POSTURE_APP_TOKEN\n"
		if !strings.HasSuffix(out, want) {
			t.Errorf("last line is not %q:\n%s", want, out)
		}
		if n := e.gh.Calls("GET", "/installation/repositories"); n != 0 {
			t.Errorf("asked for the installation's repositories %d times without an installation token", n)
		}
	})
	t.Run("expired app token", func(t *testing.T) {
		e := newDoctorEnv(t, greenSeed())
		e.env[doctor.AppTokenEnv] = "ghs_expired"
		out, _ := e.doctor(ExitFindings)
		if !strings.Contains(out, "??   cannot verify that the posture app is installed, because GitHub refused $POSTURE_APP_TOKEN (401 Bad credentials): mint a new installation token") {
			t.Errorf("stdout:\n%s", out)
		}
	})
	t.Run("no app and no --app-id", func(t *testing.T) {
		s := greenSeed()
		s.app = nil
		out, _ := newDoctorEnv(t, s).doctor(ExitFindings)
		for _, want := range []string{
			`??   ruleset "posture" requires posture/check from app id 12345, but the posture app's id is not known: let bot_login in posture.yaml name the posture app, as the app lines below say, or pass --app-id` + "\n",
			"FAIL there is no GitHub App acme-posture",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("no line %q in\n%s", want, out)
			}
		}
	})
	t.Run("hidden bypass list and merge settings", func(t *testing.T) {
		s := greenSeed()
		s.ruleset.HideBypass, s.repo.HideMergeSettings = true, true
		out, _ := newDoctorEnv(t, s).doctor(ExitFindings)
		for _, want := range []string{`??   cannot see who may bypass ruleset "posture"`, "??   cannot see whether merge commits are allowed"} {
			if !strings.Contains(out, want) {
				t.Errorf("no line %q in\n%s", want, out)
			}
		}
	})
}

func TestDoctorFailures(t *testing.T) {
	for _, tt := range []struct {
		name   string
		fault  githubtest.Fault
		code   int
		stderr string
	}{
		{"token refused", githubtest.Fault{Method: "GET", Path: "/repos/acme/device-reports", Status: 401}, ExitUsage,
			"GitHub refused the token in $GITHUB_TOKEN"},
		{"no such repository", githubtest.NotFound("GET", "/repos/acme/device-reports"), ExitUsage,
			"no repository acme/device-reports, or the token in $GITHUB_TOKEN cannot see it"},
		{"GitHub down", githubtest.Fault{Method: "GET", Path: "labels", Status: 503, Times: 6}, ExitInternal,
			"list labels"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newDoctorEnv(t, greenSeed())
			e.gh.Inject(tt.fault)
			out, errOut := e.doctor(tt.code)
			if out != "" || !strings.Contains(errOut, tt.stderr) {
				t.Errorf("stdout %q, stderr %q; want nothing printed and %q", out, errOut, tt.stderr)
			}
		})
	}
}

func TestDoctorFindsTheRepository(t *testing.T) {
	e := newDoctorEnv(t, greenSeed())
	clone := func(remotes ...string) string {
		dir := withPostureYAML(t, t.TempDir(), greenSeed().postureYAML)
		r, err := git.PlainInit(dir, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(remotes) > 0 {
			if _, err := r.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: remotes}); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	if code, out, errOut := e.run("doctor", "-C", clone("git@github.com:acme/device-reports.git")); code != ExitOK {
		t.Errorf("from the origin remote: exit %d\n%s%s", code, out, errOut)
	}
	e.env["GITHUB_REPOSITORY"] = "acme/device-reports"
	if code, out, errOut := e.run("doctor", "-C", withPostureYAML(t, t.TempDir(), greenSeed().postureYAML)); code != ExitOK {
		t.Errorf("from $GITHUB_REPOSITORY: exit %d\n%s%s", code, out, errOut)
	}
	delete(e.env, "GITHUB_REPOSITORY")
	for _, tc := range []struct{ dir, says string }{
		{clone(), "has no origin remote"},
		{clone("/srv/git/device-reports.git"), "names no OWNER/NAME"},
		{t.TempDir(), "is no Git clone"},
	} {
		code, _, errOut := e.run("doctor", "-C", tc.dir)
		if code != ExitUsage || !strings.Contains(errOut, "name the repository with --repo OWNER/NAME") || !strings.Contains(errOut, tc.says) {
			t.Errorf("exit %d, stderr %q; want %d saying %q", code, errOut, ExitUsage, tc.says)
		}
	}
}

func TestDoctorUnreadablePostureYAML(t *testing.T) {
	e := newDoctorEnv(t, greenSeed())
	withPostureYAML(t, e.dir, "bot_login: [acme-posture\n")
	out, errOut := e.doctor(ExitUsage)
	want := filepath.Join(e.dir, "posture.yaml") + ":1:"
	if out != "" || !strings.Contains(errOut, want) || !strings.Contains(errOut, "doctor reads bot_login from it") {
		t.Errorf("stdout %q, stderr %q; want nothing printed and %q", out, errOut, want)
	}
	if n := len(e.gh.Log()); n != 0 {
		t.Errorf("%d requests to GitHub before posture.yaml could be read", n)
	}
}

func TestRepoFromURL(t *testing.T) {
	for _, tc := range []struct{ url, repo string }{
		{"https://github.com/acme/device-reports.git", "acme/device-reports"},
		{"https://github.com/acme/device-reports", "acme/device-reports"},
		{"https://x-access-token:t@github.com/acme/device-reports/", "acme/device-reports"},
		{"ssh://git@github.com/acme/device-reports.git", "acme/device-reports"},
		{"git@github.com:acme/device-reports.git", "acme/device-reports"},
		{"ghe.example.com:acme/device-reports", "acme/device-reports"},
		{"https://github.com/acme", ""},
		{"https://ghe.example.com/scm/acme/device-reports.git", ""},
		{"/srv/git/acme/device-reports.git", ""},
		{"file:///srv/acme/device-reports.git", ""},
		{`C:\repos\device-reports`, ""},
	} {
		got, ok := repoFromURL(tc.url)
		if got != tc.repo || ok != (tc.repo != "") {
			t.Errorf("repoFromURL(%q) = %q, %v; want %q", tc.url, got, ok, tc.repo)
		}
	}
}

// TestDoctorActionPinnedByCommit: posture.lock's action names the commit
// the workflows pin posture's action at; an allow list naming that commit
// allows it, one naming another commit does not.
func TestDoctorActionPinnedByCommit(t *testing.T) {
	const inUse, other = "3f786850e387550fdab836ed7e6dc881de23001b", "89e6c98d92887913cadf06b2adb97f26cde4849b"
	for _, tt := range []struct {
		name, pattern string
		code          int
		line          string
	}{
		{"the commit in use", "posture-dev/posture@" + inUse, ExitOK, "ok   GitHub Actions allows the actions posture's workflows use: actions/checkout, actions/setup-go, actions/upload-artifact, actions/cache, actions/create-github-app-token, posture-dev/posture@" + inUse},
		{"another commit", "posture-dev/posture@" + other, ExitFindings, "FAIL GitHub Actions does not allow posture-dev/posture@" + inUse + ", which posture's workflows use"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := greenSeed()
			s.actions.Patterns = []string{tt.pattern}
			e := newDoctorEnv(t, s)
			if err := os.WriteFile(filepath.Join(e.dir, "posture.lock"), []byte("posture: v1.4.0\naction: posture-dev/posture@"+inUse+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			out, _ := e.doctor(tt.code)
			if !strings.Contains(out, tt.line) {
				t.Errorf("no line %q in\n%s", tt.line, out)
			}
		})
	}
}

package cli

import (
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// mintAction mints the posture GitHub App's installation token.
const mintAction = "actions/create-github-app-token@"

// The triggers that run the default branch's copy of a workflow, whatever a
// pull request or a pushed branch changes (workflow_dispatch runs the ref it
// is given, which only the default branch may deploy to the posture
// environment). The only ones a workflow that mints the token may have.
var defaultBranchTriggers = []string{"issues", "pull_request_target", "schedule", "workflow_dispatch", "workflow_run"}

// writeCommand matches a posture command in a script that writes to GitHub.
// (overview and subject read; overview publishes to the job summary.)
var writeCommand = regexp.MustCompile(`\bposture"?\s+(route|gate|merge|open-issues|remind|from-issue)\b`)

// tokenJobs are the jobs that write to GitHub, with the permissions their
// app token asks for: exactly what their commands use.
var tokenJobs = map[string]map[string]string{
	"pull-request.yml gate":     {"contents": "read", "pull-requests": "write", "issues": "write", "statuses": "write"},
	"pull-request.yml merge":    {"contents": "write", "pull-requests": "write", "issues": "read"},
	"approvals.yml gate":        {"contents": "read", "pull-requests": "write", "issues": "write", "statuses": "write"},
	"approvals.yml merge":       {"contents": "write", "pull-requests": "write", "issues": "read"},
	"issue-form.yml from-issue": {"contents": "write", "pull-requests": "write", "issues": "write"},
	"monthly.yml open-issues":   {"issues": "write"},
	"remind.yml remind":         {"issues": "write"},
}

// appToken returns what a writing step must be given, from the mint step
// id: the app's token, or GITHUB_TOKEN only as the evaluation fallback
// when no app is configured, and which of the two it is.
func appToken(id string) (token, kind string) {
	return "${{ steps." + id + ".outputs.token || github.token }}",
		"${{ steps." + id + ".outputs.token && 'app' || 'actions' }}"
}

// writes returns the posture commands of s that write to GitHub.
func writes(s step) []string {
	if s.Uses == "./" {
		commands, ok := s.With["commands"]
		if !ok {
			commands = "check route gate" // the action's default
		}
		return slices.DeleteFunc(strings.Fields(commands), func(c string) bool { return c == "check" })
	}
	var out []string
	for _, m := range writeCommand.FindAllStringSubmatch(s.Run, -1) {
		out = append(out, m[1])
	}
	return out
}

func environmentName(env any) string {
	switch e := env.(type) {
	case string:
		return e
	case map[string]any:
		name, _ := e["name"].(string)
		return name
	}
	return ""
}

// TestWorkflowTokens: every posture command that writes runs with the
// posture app's installation token, minted only in jobs of the posture
// environment, in workflows that run the default branch's copy, from jobs
// that run nothing of a pull request's head. A status that any other
// workflow sets comes from GitHub Actions, which the ruleset does not
// accept (docs/admin.md).
func TestWorkflowTokens(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range workflowFiles(t) {
		name := filepath.Base(p)
		var wf workflow
		raw := readYAML(t, p, &wf)
		mints := false
		for jn, j := range wf.Jobs {
			where := name + " " + jn
			mint := -1
			for i, s := range j.Steps {
				if strings.HasPrefix(s.Uses, mintAction) {
					if mint >= 0 {
						t.Errorf("%s mints two tokens", where)
					}
					mint = i
				}
			}
			var writing []int
			for i, s := range j.Steps {
				if len(writes(s)) > 0 {
					writing = append(writing, i)
				}
			}
			if mint < 0 {
				if len(writing) > 0 {
					t.Errorf("%s runs posture %v without the posture app's token", where, writes(j.Steps[writing[0]]))
				}
				checkReadOnly(t, where, j)
				continue
			}
			seen[where] = true
			want, ok := tokenJobs[where]
			if !ok {
				t.Errorf("%s mints the app's token but is not one of the jobs that write", where)
			}
			checkMint(t, where, j.Steps[mint], want)
			checkFallback(t, where, j, want)
			if env := environmentName(j.Environment); env != "posture" {
				t.Errorf("%s mints the app's token in environment %q, want posture (deployable from the default branch only)", where, env)
			}
			tok, kind := appToken(j.Steps[mint].ID)
			for _, i := range writing {
				s := j.Steps[i]
				gotTok, gotKind := s.Env["GITHUB_TOKEN"], s.Env["POSTURE_TOKEN_KIND"]
				if s.Uses == "./" {
					gotTok, gotKind = s.With["token"], s.With["token-kind"]
				}
				if i < mint || gotTok != tok || gotKind != kind {
					t.Errorf("%s: posture %v runs with token %q, kind %q; want %q, %q after the token is minted",
						where, writes(s), gotTok, gotKind, tok, kind)
				}
				if s.Env["GH_TOKEN"] != "" {
					t.Errorf("%s: a second token in GH_TOKEN", where)
				}
			}
			checkRunsNoHead(t, where, j)
			mints = true
		}
		if mints {
			checkTriggers(t, name, wf)
		}
		// No secret reaches a workflow but the app's key, given to the
		// action that mints the token.
		for _, m := range regexp.MustCompile(`secrets\.[A-Za-z_]+`).FindAllString(raw, -1) {
			if m != "secrets.POSTURE_APP_PRIVATE_KEY" {
				t.Errorf("%s reads %s: posture writes with the app's token only", name, m)
			}
		}
	}
	for _, where := range slices.Sorted(maps.Keys(tokenJobs)) {
		if !seen[where] {
			t.Errorf("%s does not mint the posture app's token", where)
		}
	}
}

// checkMint: the token is for this repository only, with the
// permissions the job's commands use, from the posture environment's key,
// and minted only when an app is configured.
func checkMint(t *testing.T, where string, s step, want map[string]string) {
	t.Helper()
	if s.ID == "" || s.If != "vars.POSTURE_APP_CLIENT_ID != ''" {
		t.Errorf("%s: the token step needs an id and `if: vars.POSTURE_APP_CLIENT_ID != ''` (got id %q, if %q)", where, s.ID, s.If)
	}
	got := map[string]string{}
	for k, v := range s.With {
		switch {
		case k == "client-id" && v == "${{ vars.POSTURE_APP_CLIENT_ID }}":
		case k == "private-key" && v == "${{ secrets.POSTURE_APP_PRIVATE_KEY }}":
		case strings.HasPrefix(k, "permission-"):
			got[strings.TrimPrefix(k, "permission-")] = v
		default:
			// owner alone would make a token for every repository of the
			// owner; none means this repository (GITHUB_REPOSITORY).
			t.Errorf("%s: the token step has %s: %q; it takes only client-id, private-key and permission-*", where, k, v)
		}
	}
	if s.With["client-id"] == "" || s.With["private-key"] == "" {
		t.Errorf("%s: the token step lacks client-id or private-key: %v", where, s.With)
	}
	if !maps.Equal(got, want) {
		t.Errorf("%s: the token asks for %v, want %v", where, got, want)
	}
}

// checkFallback: the job's GITHUB_TOKEN, used when no app is configured,
// may do no more than the app's token (and read the contents to check
// main out).
func checkFallback(t *testing.T, where string, j job, app map[string]string) {
	t.Helper()
	perms, _ := j.Permissions.(map[string]any)
	level := map[string]int{"": 0, "none": 0, "read": 1, "write": 2}
	for k, v := range perms {
		s, _ := v.(string)
		if level[s] > level[app[k]] && (k != "contents" || s != "read") {
			t.Errorf("%s: GITHUB_TOKEN has %s: %s, more than the app's token (%q)", where, k, s, app[k])
		}
	}
}

// checkReadOnly: a job without the app's token writes nothing.
func checkReadOnly(t *testing.T, where string, j job) {
	t.Helper()
	perms, _ := j.Permissions.(map[string]any)
	for k, v := range perms {
		if v == "write" {
			t.Errorf("%s: GITHUB_TOKEN may write %s; only posture writes, with the app's token", where, k)
		}
	}
	for _, s := range j.Steps {
		for _, k := range []string{"GITHUB_TOKEN", "GH_TOKEN"} {
			if v, ok := s.Env[k]; ok && v != "${{ github.token }}" {
				t.Errorf("%s: %s is %q", where, k, v)
			}
		}
	}
}

// checkRunsNoHead: a job holding the app's token checks out the default
// branch only (the event's default), and fetches a pull request's head
// only as data, in the action.
func checkRunsNoHead(t *testing.T, where string, j job) {
	t.Helper()
	fetches := regexp.MustCompile(`\bgit\b|\bgh\b|\bcurl\b|\bwget\b`)
	for _, s := range j.Steps {
		if strings.HasPrefix(s.Uses, "actions/checkout@") {
			for _, k := range []string{"ref", "repository", "path"} {
				if s.With[k] != "" {
					t.Errorf("%s: checkout with %s %q: a job with the app's token checks out the default branch only", where, k, s.With[k])
				}
			}
		}
		if fetches.MatchString(s.Run) {
			t.Errorf("%s: a script fetches something; only the action fetches a pull request's head, as data:\n%s", where, s.Run)
		}
		if s.Uses != "" && s.Uses != "./" && !strings.HasPrefix(s.Uses, "actions/checkout@") &&
			!strings.HasPrefix(s.Uses, "actions/setup-go@") && !strings.HasPrefix(s.Uses, mintAction) {
			t.Errorf("%s: uses %s beside the app's token", where, s.Uses)
		}
	}
}

// checkTriggers: a workflow that mints the app's token runs only as the
// default branch has it, so that a workflow edited in a pull request or
// pushed on a branch never runs with it.
func checkTriggers(t *testing.T, name string, wf workflow) {
	t.Helper()
	for on, v := range wf.On {
		if !slices.Contains(defaultBranchTriggers, on) {
			t.Errorf("%s mints the app's token and runs on %s, which can run a branch's copy of it", name, on)
		}
		if on == "pull_request_target" {
			cfg, _ := v.(map[string]any)
			if b, _ := cfg["branches"].([]any); len(b) != 1 || b[0] != "main" {
				t.Errorf("%s: pull_request_target on branches %v, want [main]: a pull request into another branch runs that branch's copy", name, cfg["branches"])
			}
		}
	}
}

// TestActionToken: the action receives its token and never takes one of
// its own; every posture command that talks to GitHub is told which kind
// it has.
func TestActionToken(t *testing.T) {
	var action struct {
		Inputs map[string]map[string]any `yaml:"inputs"`
		Runs   struct {
			Steps []step `yaml:"steps"`
		} `yaml:"runs"`
	}
	raw := readYAML(t, "../../action.yml", &action)
	for _, in := range []string{"token", "token-kind"} {
		// Not required: check-all, test and install need no token; the
		// action stops a pull request command that is given none.
		if action.Inputs[in] == nil || action.Inputs[in]["default"] != nil {
			t.Errorf("action.yml: input %s must have no default: %v", in, action.Inputs[in])
		}
	}
	if action.Inputs["merge-token"] != nil {
		t.Error("action.yml: a second token for the merge; the caller's token merges")
	}
	for _, bad := range []string{"github.token", "secrets.", "GITHUB_TOKEN: ${{ github"} {
		if strings.Contains(raw, bad) {
			t.Errorf("action.yml mentions %q: it uses only the token it is given", bad)
		}
	}
	talks := regexp.MustCompile(`\bposture (subject|route|gate|merge)\b`)
	n := 0
	for _, s := range action.Runs.Steps {
		if !talks.MatchString(s.Run) {
			continue
		}
		n++
		if s.Env["GITHUB_TOKEN"] != "${{ inputs.token }}" || s.Env["POSTURE_TOKEN_KIND"] != "${{ inputs.token-kind }}" {
			t.Errorf("action.yml: %q runs with GITHUB_TOKEN %q and POSTURE_TOKEN_KIND %q", talks.FindString(s.Run), s.Env["GITHUB_TOKEN"], s.Env["POSTURE_TOKEN_KIND"])
		}
	}
	if n != 4 {
		t.Errorf("action.yml: %d steps run subject, route, gate or merge, want 4", n)
	}
}

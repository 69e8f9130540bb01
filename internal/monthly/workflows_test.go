package monthly

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/settings"
	"gopkg.in/yaml.v3"
)

type workflow struct {
	On struct {
		Schedule []struct {
			Cron     string `yaml:"cron"`
			Timezone string `yaml:"timezone"`
		} `yaml:"schedule"`
		Dispatch *struct {
			Inputs map[string]any `yaml:"inputs"`
		} `yaml:"workflow_dispatch"`
		Issues *struct {
			Types []string `yaml:"types"`
		} `yaml:"issues"`
	} `yaml:"on"`
	Permissions *map[string]string `yaml:"permissions"`
	Concurrency map[string]any     `yaml:"concurrency"`
	Jobs        map[string]struct {
		Environment string            `yaml:"environment"`
		Permissions map[string]string `yaml:"permissions"`
		Steps       []struct {
			ID   string            `yaml:"id"`
			If   string            `yaml:"if"`
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			With map[string]string `yaml:"with"`
			Env  map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// The token every posture step that writes gets: the posture GitHub App's
// installation token from the step with id app-token, or GITHUB_TOKEN only
// as the evaluation fallback when no app is configured, and which it is.
const (
	appToken     = "${{ steps.app-token.outputs.token || github.token }}"
	appTokenKind = "${{ steps.app-token.outputs.token && 'app' || 'actions' }}"
)

var pinned = regexp.MustCompile(`^[a-z0-9-]+/[a-z0-9-]+@[0-9a-f]{40}$`)

// TestWorkflows holds the monthly workflows to the house rules: no
// permission at the top and the least per job, actions pinned by commit,
// no expression inside a shell script, a concurrency group, and the
// schedule in the organisation's timezone.
func TestWorkflows(t *testing.T) {
	data, err := os.ReadFile("../../posture.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tz := settings.Default().Timezone
	var s struct{ Timezone string }
	if yaml.Unmarshal(data, &s) == nil && s.Timezone != "" {
		tz = s.Timezone
	}
	// perms are the GITHUB_TOKEN's (the checkout, and the evaluation
	// fallback), app those of the app's token.
	for file, want := range map[string]struct {
		command    string
		perms, app map[string]string
	}{
		"monthly.yml":    {"open-issues", map[string]string{"contents": "read", "issues": "write"}, map[string]string{"issues": "write"}},
		"remind.yml":     {"remind", map[string]string{"contents": "read", "issues": "write"}, map[string]string{"issues": "write"}},
		"issue-form.yml": {"from-issue", map[string]string{"contents": "read", "issues": "write"}, map[string]string{"contents": "write", "pull-requests": "write", "issues": "write"}},
	} {
		perms := want.perms
		t.Run(file, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("..", "..", ".github", "workflows", file))
			if err != nil {
				t.Fatal(err)
			}
			var w workflow
			if err := yaml.Unmarshal(raw, &w); err != nil {
				t.Fatal(err)
			}
			if w.Permissions == nil || len(*w.Permissions) != 0 {
				t.Errorf("top-level permissions = %v, want {}", w.Permissions)
			}
			if w.Concurrency["group"] == nil {
				t.Error("no concurrency group")
			}
			for _, sc := range w.On.Schedule {
				if sc.Timezone != tz {
					t.Errorf("schedule %q runs in %q, posture.yaml says %q", sc.Cron, sc.Timezone, tz)
				}
			}
			for name, job := range w.Jobs {
				if len(job.Permissions) != len(perms) {
					t.Errorf("job %s permissions %v, want %v", name, job.Permissions, perms)
				}
				for k, v := range perms {
					if job.Permissions[k] != v {
						t.Errorf("job %s: %s is %q, want %q", name, k, job.Permissions[k], v)
					}
				}
				if job.Environment != "posture" {
					t.Errorf("job %s runs in environment %q, want posture: the app's key is a secret there", name, job.Environment)
				}
				minted, ran := false, false
				for _, st := range job.Steps {
					if st.Uses != "" && !pinned.MatchString(st.Uses) {
						t.Errorf("%s is not pinned by commit", st.Uses)
					}
					if strings.Contains(st.Run, "${{") {
						t.Errorf("an expression inside run:\n%s", st.Run)
					}
					if strings.HasPrefix(st.Uses, "actions/create-github-app-token@") {
						minted = st.ID == "app-token" && st.If == "vars.POSTURE_APP_CLIENT_ID != ''"
						for k, v := range want.app {
							if st.With["permission-"+k] != v {
								t.Errorf("job %s: the app's token has %s: %q, want %q", name, k, st.With["permission-"+k], v)
							}
						}
						if n := len(st.With) - 2; n != len(want.app) || st.With["owner"] != "" || st.With["repositories"] != "" {
							t.Errorf("job %s: the app's token asks for %v, want %v for this repository only", name, st.With, want.app)
						}
					}
					if strings.Contains(st.Run, "posture\" "+want.command) {
						ran = true
						if !minted || st.Env["GITHUB_TOKEN"] != appToken || st.Env["POSTURE_TOKEN_KIND"] != appTokenKind {
							t.Errorf("job %s: posture %s runs with %q (%q), want the app's token minted before it, %q (%q)",
								name, want.command, st.Env["GITHUB_TOKEN"], st.Env["POSTURE_TOKEN_KIND"], appToken, appTokenKind)
						}
					}
				}
				if !ran {
					t.Errorf("job %s does not run posture %s", name, want.command)
				}
			}
		})
	}
}

func TestWorkflowTriggers(t *testing.T) {
	read := func(file string) workflow {
		raw, err := os.ReadFile(filepath.Join("..", "..", ".github", "workflows", file))
		if err != nil {
			t.Fatal(err)
		}
		var w workflow
		if err := yaml.Unmarshal(raw, &w); err != nil {
			t.Fatal(err)
		}
		return w
	}
	m := read("monthly.yml")
	if len(m.On.Schedule) != 1 || m.On.Schedule[0].Cron != "0 9 1 * *" || m.On.Dispatch == nil {
		t.Errorf("monthly.yml triggers: %+v", m.On)
	}
	for _, in := range []string{"period", "dry-run", "max"} {
		if m.On.Dispatch != nil && m.On.Dispatch.Inputs[in] == nil {
			t.Errorf("monthly.yml has no %q input", in)
		}
	}
	f := read("issue-form.yml")
	if f.On.Issues == nil || strings.Join(f.On.Issues.Types, ",") != "opened,edited" {
		t.Errorf("issue-form.yml triggers: %+v", f.On)
	}
	for _, st := range f.Jobs["from-issue"].Steps {
		// GitHub refuses pull requests from GITHUB_TOKEN, and those would
		// start no workflows: the app's token opens them.
		if strings.Contains(st.Run, "from-issue") && st.Env["GITHUB_TOKEN"] != appToken {
			t.Errorf("from-issue runs with %q, want the app's token %q", st.Env["GITHUB_TOKEN"], appToken)
		}
	}
	raw, err := os.ReadFile("../../.github/ISSUE_TEMPLATE/config.yml")
	if err != nil || !strings.Contains(string(raw), "blank_issues_enabled: false") {
		t.Errorf("config.yml: %v\n%s", err, raw)
	}
}

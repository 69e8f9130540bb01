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
		Permissions map[string]string `yaml:"permissions"`
		Steps       []struct {
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			Env  map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

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
	for file, perms := range map[string]map[string]string{
		"monthly.yml":    {"contents": "read", "issues": "write"},
		"remind.yml":     {"contents": "read", "issues": "write"},
		"issue-form.yml": {"contents": "read"},
	} {
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
				for _, st := range job.Steps {
					if st.Uses != "" && !pinned.MatchString(st.Uses) {
						t.Errorf("%s is not pinned by commit", st.Uses)
					}
					if strings.Contains(st.Run, "${{") {
						t.Errorf("an expression inside run:\n%s", st.Run)
					}
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
	if tok := f.Jobs["from-issue"].Steps[3].Env["GITHUB_TOKEN"]; tok != "${{ secrets.POSTURE_BOT_TOKEN }}" {
		t.Errorf("from-issue runs with %q, want the bot's token (GITHUB_TOKEN's pull requests start no workflows)", tok)
	}
	raw, err := os.ReadFile("../../.github/ISSUE_TEMPLATE/config.yml")
	if err != nil || !strings.Contains(string(raw), "blank_issues_enabled: false") {
		t.Errorf("config.yml: %v\n%s", err, raw)
	}
}

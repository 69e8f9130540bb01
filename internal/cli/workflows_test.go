package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The workflows of the review gate; the other workflows in the folder get
// the checks every workflow gets.
var gateWorkflows = []string{"pull-request.yml", "review.yml", "approvals.yml", "ci.yml"}

var (
	pinned = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_./-]+)?@[0-9a-f]{40}$`)
	// untrusted are expressions a shell must never see: they may hold text
	// an attacker wrote (titles, bodies, branch names, logins, inputs).
	untrusted = regexp.MustCompile(`\$\{\{[^}]*(github\.event|github\.head_ref|inputs\.|steps\.[^}]*outputs)[^}]*\}\}`)
)

// runsCode matches what would check out, build, source or run the work
// tree; the action builds posture in its own path only.
var runsCode = regexp.MustCompile(`\bgit (checkout|switch|worktree|reset|restore|merge|pull)\b|\bgo (run|test|generate|install)\b|\bsource\b|\bmake\b|\bnpm\b|\./[a-z]`)

type step struct {
	ID   string            `yaml:"id"`
	If   string            `yaml:"if"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	With map[string]string `yaml:"with"`
	Env  map[string]string `yaml:"env"`
	Dir  string            `yaml:"working-directory"`
}

type job struct {
	If          string            `yaml:"if"`
	Needs       any               `yaml:"needs"`
	Permissions any               `yaml:"permissions"`
	Outputs     map[string]string `yaml:"outputs"`
	Steps       []step            `yaml:"steps"`
	Environment any               `yaml:"environment"`
}

type workflow struct {
	On          map[string]any `yaml:"on"`
	Permissions any            `yaml:"permissions"`
	Concurrency any            `yaml:"concurrency"`
	Jobs        map[string]job `yaml:"jobs"`
}

// workflowFiles lists every workflow of the repository.
func workflowFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../../.github/workflows/*.yml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no workflows: %v", err)
	}
	return files
}

func readYAML(t *testing.T, p string, v any) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return string(data)
}

// checkSteps applies the rules for steps: actions pinned by commit with
// the tag in a comment, and no untrusted expression inside run.
func checkSteps(t *testing.T, name, raw string, steps []step, strict bool) {
	t.Helper()
	for _, s := range steps {
		if s.Uses != "" && !strings.HasPrefix(s.Uses, "./") {
			if !pinned.MatchString(s.Uses) {
				t.Errorf("%s: %q is not pinned by a full commit SHA", name, s.Uses)
			} else if !regexp.MustCompile(regexp.QuoteMeta(s.Uses) + ` # v[0-9]`).MatchString(raw) {
				t.Errorf("%s: %q has no # vX.Y.Z comment naming its tag", name, s.Uses)
			}
		}
		if untrusted.MatchString(s.Run) || strict && strings.Contains(s.Run, "${{") {
			t.Errorf("%s: an expression inside run: pass it through env:\n%s", name, s.Run)
		}
	}
}

func TestWorkflows(t *testing.T) {
	files := workflowFiles(t)
	for _, w := range gateWorkflows {
		if !slices.Contains(files, "../../.github/workflows/"+w) {
			t.Errorf("workflow %s is missing", w)
		}
	}
	for _, p := range files {
		name := filepath.Base(p)
		// Every workflow is held to the strict rules now; the name says
		// which ones must also have a concurrency group.
		mine := slices.Contains(gateWorkflows, name)
		var wf workflow
		raw := readYAML(t, p, &wf)
		if m, ok := wf.Permissions.(map[string]any); !ok || len(m) != 0 {
			t.Errorf("%s: the top-level permissions must be {}, got %v", name, wf.Permissions)
		}
		if mine && wf.Concurrency == nil {
			t.Errorf("%s: no concurrency group", name)
		}
		privileged := wf.On["pull_request_target"] != nil || wf.On["workflow_run"] != nil
		for jn, j := range wf.Jobs {
			if s, ok := j.Permissions.(string); ok {
				t.Errorf("%s: job %s has permissions %q; name each one it needs", name, jn, s)
			}
			checkSteps(t, name+" "+jn, raw, j.Steps, true)
			for _, s := range j.Steps {
				if !strings.HasPrefix(s.Uses, "actions/checkout@") {
					continue
				}
				if privileged && s.With["ref"] != "" {
					t.Errorf("%s: a privileged workflow checks out %q: only the base may be checked out", name, s.With["ref"])
				}
				if s.With["persist-credentials"] != "false" {
					t.Errorf("%s: checkout keeps the token in .git/config", name)
				}
			}
		}
	}
}

// TestGateWorkflowTriggers pins each gate workflow to the triggers the
// threat model in docs/admin.md relies on.
func TestGateWorkflowTriggers(t *testing.T) {
	triggers := map[string][]string{
		"pull-request.yml": {"pull_request_target"},
		"review.yml":       {"pull_request_review"},
		"approvals.yml":    {"workflow_dispatch", "workflow_run"},
		"ci.yml":           {"pull_request", "push"},
	}
	for name, want := range triggers {
		var wf workflow
		readYAML(t, "../../.github/workflows/"+name, &wf)
		var got []string
		for k := range wf.On {
			got = append(got, k)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s triggers on %v, want %v", name, got, want)
		}
		for jn, j := range wf.Jobs {
			for _, s := range j.Steps {
				if name != "ci.yml" && s.Uses != "" && !strings.HasPrefix(s.Uses, "actions/checkout@") && !strings.HasPrefix(s.Uses, mintAction) && s.Uses != "./" {
					t.Errorf("%s %s: uses %s; the gate runs posture only through the action in ./, built from the base", name, jn, s.Uses)
				}
				if (name == "pull-request.yml" || name == "approvals.yml") && s.Run != "" {
					t.Errorf("%s %s: runs a script; the gate runs posture only through the action in ./, built from the base:\n%s", name, jn, s.Run)
				}
			}
			if name == "review.yml" && (j.Permissions != nil || len(j.Steps) != 1 || j.Steps[0].Uses != "") {
				t.Errorf("review.yml runs the pull request's copy: it must hold no permission and run no action")
			}
		}
	}
}

func TestAction(t *testing.T) {
	var action struct {
		Runs struct {
			Using string `yaml:"using"`
			Steps []step `yaml:"steps"`
		} `yaml:"runs"`
	}
	raw := readYAML(t, "../../action.yml", &action)
	if action.Runs.Using != "composite" {
		t.Errorf("action.yml runs %q, want a composite action", action.Runs.Using)
	}
	checkSteps(t, "action.yml", raw, action.Runs.Steps, true)
	for _, s := range action.Runs.Steps {
		if strings.HasPrefix(s.Uses, "actions/setup-go@") && s.With["cache"] != "false" {
			t.Error("action.yml: setup-go restores a cache that untrusted runs could have written")
		}
		fromAction := s.Dir == "${{ github.action_path }}"
		if strings.Contains(s.Run, "go build") != fromAction || !fromAction && runsCode.MatchString(s.Run) {
			t.Errorf("action.yml: a step may check out, build or run something besides posture from the action's path:\n%s", s.Run)
		}
	}
}

package cli

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/forge/githubtest"
)

// TestGateConcurrency: pull-request.yml and approvals.yml share one
// concurrency group per pull request. GitHub keeps one run in progress and
// one pending in a group, and a newer run cancels the pending one; a run
// in progress is never cancelled. So no merge is lost only if every run
// judges afresh and every run whose gate passes merges: the newest run,
// which always runs, then does what any cancelled one would have done.
func TestGateConcurrency(t *testing.T) {
	groups := map[string]string{
		"pull-request.yml": "posture-${{ github.event.pull_request.head.repo.full_name }}/${{ github.event.pull_request.head.ref }}",
		"approvals.yml":    "format('posture-{0}/{1}', github.event.workflow_run.head_repository.full_name, github.event.workflow_run.head_branch)",
	}
	for name, group := range groups {
		var wf workflow
		readYAML(t, "../../.github/workflows/"+name, &wf)
		c, _ := wf.Concurrency.(map[string]any)
		if g, _ := c["group"].(string); !strings.Contains(g, group) {
			t.Errorf("%s: concurrency group %q is not the shared one, %q", name, g, group)
		}
		if c["cancel-in-progress"] != false {
			t.Errorf("%s: cancel-in-progress %v, want false: a merge in flight is never cut", name, c["cancel-in-progress"])
		}
		// queue: max keeps every pending run; allowed once actionlint knows it.
		for k, v := range c {
			if k != "group" && k != "cancel-in-progress" && (k != "queue" || v != "max") {
				t.Errorf("%s: concurrency %s: %v", name, k, v)
			}
		}
		gates := 0
		for gn, g := range wf.Jobs {
			id, found := "", false
			for _, s := range g.Steps {
				if s.Uses == "./" && strings.Contains(" "+s.With["commands"]+" ", " gate ") {
					id, found = s.ID, true
				}
			}
			if !found {
				continue
			}
			gates++
			if g.Outputs["merge"] != "${{ steps."+id+".outputs.merge }}" || g.Outputs["pr"] != "${{ steps."+id+".outputs.pr }}" {
				t.Errorf("%s %s: outputs %v lack the action's pr and merge", name, gn, g.Outputs)
			}
			merges := 0
			for mn, m := range wf.Jobs {
				if m.Needs != gn {
					continue
				}
				if m.If != "needs."+gn+".outputs.merge == 'true'" {
					t.Errorf("%s %s: if %q, want the gate's merge output", name, mn, m.If)
				}
				for _, s := range m.Steps {
					if s.Uses == "./" && s.With["commands"] == "merge" && s.With["pr"] == "${{ needs."+gn+".outputs.pr }}" {
						merges++
					}
				}
			}
			if merges != 1 {
				t.Errorf("%s: %d jobs merge after %s passes, want 1: a run that cancels a pending one must merge as it would have", name, merges, gn)
			}
		}
		if gates != 1 {
			t.Errorf("%s: %d jobs run posture gate, want 1", name, gates)
		}
	}
}

// TestActionMergeOutput: the action's merge output is true for a pull
// request of reports whose gate passed, and false for one of other files,
// which passes without approvals and which posture merge refuses. The
// action tells them apart by the line posture gate prints: this runs
// posture gate and matches its output with the action's own pattern.
func TestActionMergeOutput(t *testing.T) {
	var action struct {
		Runs struct {
			Steps []step `yaml:"steps"`
		} `yaml:"runs"`
	}
	readYAML(t, "../../action.yml", &action)
	var pattern *regexp.Regexp
	for _, s := range action.Runs.Steps {
		if s.ID == "gate" {
			m := regexp.MustCompile(`grep -q '(\^[a-z/: ]+)'`).FindStringSubmatch(s.Run)
			if m == nil {
				t.Fatalf("action.yml: the gate step has no grep -q '^literal text':\n%s", s.Run)
			}
			pattern = regexp.MustCompile("(?m)" + m[1])
		}
		if s.ID == "" && strings.Contains(s.Run, "posture merge") && !strings.Contains(s.If, "steps.gate.outputs.merge == 'true'") {
			t.Errorf("action.yml: posture merge runs after gate on %q, not on the merge output", s.If)
		}
	}
	if pattern == nil {
		t.Fatal("action.yml has no step with id gate")
	}
	for _, kind := range []string{TokenApp, TokenActions} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			f.approved()
			out, _ := f.runKind(kind, ExitOK, "gate", "--pr", "1")
			if pattern.MatchString(out) {
				t.Errorf("an approved report would not be merged:\n%s", out)
			}
			head := f.branch("notes", func() { f.Write("notes/rollout.txt", "the plan\n") })
			pr := f.pull(githubtest.Pull{Issue: githubtest.Issue{Title: "Notes", Author: emily}, Head: "notes"}, head)
			out, _ = f.runKind(kind, ExitOK, "gate", "--pr", strconv.Itoa(pr))
			if !pattern.MatchString(out) {
				t.Errorf("a change of other files would go to posture merge, which refuses it:\n%s", out)
			}
			f.runKind(kind, ExitFindings, "merge", "--pr", strconv.Itoa(pr))
		})
	}
}

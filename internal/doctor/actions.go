package doctor

import (
	"fmt"
	"slices"
	"strings"

	"github.com/google/go-github/v60/github"
	"github.com/posture-dev/posture/internal/forge"
)

func labelItem(p forge.Part[[]string]) Item {
	const id = "labels"
	if p.Err != nil {
		return unread(id, "the labels", p.Err)
	}
	want := Labels()
	var missing []string
	for _, l := range want {
		if !slices.ContainsFunc(p.Value, func(have string) bool { return strings.EqualFold(have, l) }) {
			missing = append(missing, l)
		}
	}
	if len(missing) == 0 {
		return Item{ID: id, Status: OK, Message: fmt.Sprintf("the %d labels posture uses exist", len(want))}
	}
	return Item{ID: id, Status: Fail,
		Message: fmt.Sprintf("%d of the %d labels posture uses are missing: %s (GitHub puts a form's label on its issues only when the label exists)",
			len(missing), len(want), quoted(missing)),
		Fix: "create them under Issues → Labels → New label, or run posture open-issues and posture route once, which create them"}
}

func actionsItems(s *forge.Settings) []Item {
	return []Item{allowedItem(s), defaultTokenItem(s.Workflow), approveItem(s.Workflow)}
}

func allowedItem(s *forge.Settings) Item {
	const id = "actions.allowed"
	if s.Actions.Err != nil {
		return unread(id, "the repository's Actions permissions", s.Actions.Err)
	}
	where := "Settings → Actions → General → Actions permissions"
	a := s.Actions.Value
	switch {
	case !a.GetEnabled():
		return Item{ID: id, Status: Fail, Message: "GitHub Actions is disabled for the repository, so none of posture's workflows run",
			Fix: where + " → Allow all actions and reusable workflows, or allow the ones docs/doctor.md lists"}
	case a.GetAllowedActions() == "all":
		return Item{ID: id, Status: OK, Message: "GitHub Actions is enabled and allows every action"}
	case a.GetAllowedActions() == "local_only":
		return Item{ID: id, Status: Fail,
			Message: fmt.Sprintf("GitHub Actions allows only the owner's own actions and reusable workflows, but posture's workflows use %s", strings.Join(UsedActions, ", ")),
			Fix:     where + " → Allow " + "<owner>, and select non-<owner>, actions and reusable workflows" + allowFix(UsedActions)}
	case a.GetAllowedActions() != "selected":
		return Item{ID: id, Status: Unknown, Message: fmt.Sprintf("GitHub Actions allows %q actions, which posture doctor does not know", a.GetAllowedActions()),
			Fix: "check by hand that " + strings.Join(UsedActions, ", ") + " are allowed"}
	}
	if s.SelectedActions.Err != nil {
		return unread(id, "the allowed actions", s.SelectedActions.Err)
	}
	var missing []string
	for _, u := range UsedActions {
		if !allowed(u, s.SelectedActions.Value) {
			missing = append(missing, u)
		}
	}
	if len(missing) == 0 {
		return Item{ID: id, Status: OK, Message: "GitHub Actions allows the actions posture's workflows use: " + strings.Join(UsedActions, ", ")}
	}
	return Item{ID: id, Status: Fail,
		Message: fmt.Sprintf("GitHub Actions does not allow %s, which posture's workflows use", strings.Join(missing, ", ")),
		Fix:     where + allowFix(missing)}
}

// allowFix says how to allow the actions missing from the selected ones.
func allowFix(missing []string) string {
	var steps []string
	if slices.ContainsFunc(missing, byGitHub) {
		steps = append(steps, "tick Allow actions created by GitHub")
	}
	if other := slices.DeleteFunc(slices.Clone(missing), byGitHub); len(other) > 0 {
		steps = append(steps, "add "+patterns(other)+" to Allow or block specified actions and reusable workflows")
	}
	return " → " + strings.Join(steps, ", and ")
}

// allowed reports whether the selected actions a allow action
// ("owner/repo") at any commit: posture's workflows pin actions by SHA, so
// a pattern for one tag does not count.
func allowed(action string, a *github.ActionsAllowed) bool {
	if a.GetGithubOwnedAllowed() && byGitHub(action) {
		return true
	}
	for _, p := range a.PatternsAllowed {
		name, ref, pinned := strings.Cut(strings.ToLower(strings.TrimSpace(p)), "@")
		if pinned && !strings.Contains(ref, "*") {
			continue
		}
		if glob(name, strings.ToLower(action)) {
			return true
		}
	}
	return false
}

// byGitHub reports whether an action is GitHub's own.
func byGitHub(action string) bool {
	return strings.HasPrefix(action, "actions/") || strings.HasPrefix(action, "github/")
}

// patterns are the allow-list entries for actions, at any commit.
func patterns(actions []string) string {
	out := make([]string, len(actions))
	for i, a := range actions {
		out[i] = a + "@*"
	}
	return strings.Join(out, ", ")
}

func defaultTokenItem(p forge.Part[*github.DefaultWorkflowPermissionRepository]) Item {
	const id = "actions.token"
	if p.Err != nil {
		return unread(id, "the default workflow permissions", p.Err)
	}
	if p.Value.GetDefaultWorkflowPermissions() == "read" {
		return Item{ID: id, Status: OK, Message: "GITHUB_TOKEN is read-only unless a job asks for more"}
	}
	return Item{ID: id, Status: Fail,
		Message: fmt.Sprintf("GITHUB_TOKEN may %s by default, so any workflow without a permissions block can write", wordsFor(p.Value.GetDefaultWorkflowPermissions())),
		Fix:     "Settings → Actions → General → Workflow permissions → Read repository contents and packages permissions: each of posture's jobs asks for what it needs"}
}

func wordsFor(perm string) string {
	if perm == "write" {
		return "read and write"
	}
	return fmt.Sprintf("%q", perm)
}

func approveItem(p forge.Part[*github.DefaultWorkflowPermissionRepository]) Item {
	const id = "actions.approve"
	if p.Err != nil {
		return unread(id, "the default workflow permissions", p.Err)
	}
	if !p.Value.GetCanApprovePullRequestReviews() {
		return Item{ID: id, Status: OK,
			Message: "GitHub Actions may not create or approve pull requests, and posture does not need it to (issue-form.yml opens pull requests with the posture app's token)"}
	}
	return Item{ID: id, Status: Fail,
		Message: "GitHub Actions may create and approve pull requests, which posture does not need: issue-form.yml opens its pull requests with the posture app's installation token, because one opened with GITHUB_TOKEN would start no workflow, and nothing of posture approves",
		Fix:     "Settings → Actions → General → Workflow permissions → untick Allow GitHub Actions to create and approve pull requests, so that no workflow can approve with GITHUB_TOKEN"}
}

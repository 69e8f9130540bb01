package doctor

import (
	"cmp"
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

func actionsItems(s *forge.Settings, action string) []Item {
	return []Item{allowedItem(s, pinnedRefs(action)), defaultTokenItem(s.Workflow), approveItem(s.Workflow)}
}

// pinnedRefs maps the action of action ("OWNER/NAME@REF") to the ref the
// workflows pin it at; empty when action names no ref.
func pinnedRefs(action string) map[string]string {
	name, ref, ok := strings.Cut(strings.TrimSpace(action), "@")
	if !ok || name == "" || ref == "" {
		return nil
	}
	return map[string]string{strings.ToLower(name): ref}
}

// allowedItem judges the Actions permissions; refs are the refs the
// workflows pin actions at, where doctor knows them.
func allowedItem(s *forge.Settings, refs map[string]string) Item {
	const id = "actions.allowed"
	if s.Actions.Err != nil {
		return unread(id, "the repository's Actions permissions", s.Actions.Err)
	}
	where := "Settings → Actions → General → Actions permissions"
	used := pinned(UsedActions, refs)
	a := s.Actions.Value
	switch {
	case !a.GetEnabled():
		return Item{ID: id, Status: Fail, Message: "GitHub Actions is disabled for the repository, so none of posture's workflows run",
			Fix: where + " → Allow all actions and reusable workflows, or allow the ones docs/doctor.md lists"}
	case a.GetAllowedActions() == "all":
		return Item{ID: id, Status: OK, Message: "GitHub Actions is enabled and allows every action"}
	case a.GetAllowedActions() == "local_only":
		return Item{ID: id, Status: Fail,
			Message: fmt.Sprintf("GitHub Actions allows only the owner's own actions and reusable workflows, but posture's workflows use %s", strings.Join(used, ", ")),
			Fix:     where + " → Allow " + "<owner>, and select non-<owner>, actions and reusable workflows" + allowFix(UsedActions, refs)}
	case a.GetAllowedActions() != "selected":
		return Item{ID: id, Status: Unknown, Message: fmt.Sprintf("GitHub Actions allows %q actions, which posture doctor does not know", a.GetAllowedActions()),
			Fix: "check by hand that " + strings.Join(used, ", ") + " are allowed"}
	}
	if s.SelectedActions.Err != nil {
		return unread(id, "the allowed actions", s.SelectedActions.Err)
	}
	var missing []string
	for _, u := range UsedActions {
		if !allowed(u, refs[u], s.SelectedActions.Value) {
			missing = append(missing, u)
		}
	}
	if len(missing) == 0 {
		return Item{ID: id, Status: OK, Message: "GitHub Actions allows the actions posture's workflows use: " + strings.Join(used, ", ")}
	}
	msg := fmt.Sprintf("GitHub Actions does not allow %s, which posture's workflows use", strings.Join(pinned(missing, refs), ", "))
	if other := otherRefs(missing, refs, s.SelectedActions.Value); len(other) > 0 {
		msg += " (the allowed actions have only " + strings.Join(other, ", ") + ", at another ref)"
	}
	return Item{ID: id, Status: Fail, Message: msg, Fix: where + allowFix(missing, refs)}
}

// allowFix says how to allow the actions missing from the selected ones.
func allowFix(missing []string, refs map[string]string) string {
	var steps []string
	if slices.ContainsFunc(missing, byGitHub) {
		steps = append(steps, "tick Allow actions created by GitHub")
	}
	if other := slices.DeleteFunc(slices.Clone(missing), byGitHub); len(other) > 0 {
		entries := make([]string, len(other))
		for i, a := range other {
			entries[i] = a + "@" + cmp.Or(refs[a], "*")
		}
		step := "add " + strings.Join(entries, ", ") + " to Allow or block specified actions and reusable workflows"
		if slices.ContainsFunc(other, func(a string) bool { return refs[a] != "" }) {
			step += " (or " + patterns(other) + " for every ref, so that an upgrade of posture needs no new entry)"
		}
		steps = append(steps, step)
	}
	return " → " + strings.Join(steps, ", and ")
}

// allowed reports whether the selected actions a allow action
// ("owner/repo") at ref, the tag or commit the workflows pin it at ("" when
// doctor does not know it, and then only an entry for every ref counts).
func allowed(action, ref string, a *github.ActionsAllowed) bool {
	if a.GetGithubOwnedAllowed() && byGitHub(action) {
		return true
	}
	return slices.ContainsFunc(a.PatternsAllowed, func(p string) bool { return allows(p, action, ref) })
}

// allows reports whether the allow-list entry p allows action at ref, as
// GitHub matches its entries: "owner/repo@ref" for one tag, branch or
// commit, "owner/repo@*" and "owner/*" for every ref, and * a wildcard in
// the names and the ref.
func allows(p, action, ref string) bool {
	name, pref, hasRef := strings.Cut(strings.ToLower(strings.TrimSpace(p)), "@")
	if !glob(name, strings.ToLower(action)) {
		return false
	}
	switch {
	case !hasRef || pref == "*" || pref == "**":
		return true
	case ref == "":
		return false
	}
	return glob(pref, strings.ToLower(ref))
}

// otherRefs are the entries of a that name one of missing at a ref other
// than the one the workflows pin.
func otherRefs(missing []string, refs map[string]string, a *github.ActionsAllowed) []string {
	var out []string
	for _, p := range a.PatternsAllowed {
		name, _, hasRef := strings.Cut(strings.ToLower(strings.TrimSpace(p)), "@")
		if hasRef && slices.ContainsFunc(missing, func(m string) bool { return refs[m] != "" && glob(name, strings.ToLower(m)) }) {
			out = append(out, strings.TrimSpace(p))
		}
	}
	return out
}

// byGitHub reports whether an action is GitHub's own.
func byGitHub(action string) bool {
	return strings.HasPrefix(action, "actions/") || strings.HasPrefix(action, "github/")
}

// pinned names each action with the ref the workflows pin it at, where
// refs has it: "posture-dev/posture@v1.2.3".
func pinned(actions []string, refs map[string]string) []string {
	out := make([]string, len(actions))
	for i, a := range actions {
		out[i] = a
		if r := refs[a]; r != "" {
			out[i] += "@" + r
		}
	}
	return out
}

// patterns are the allow-list entries for actions, at any ref.
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

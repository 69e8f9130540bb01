package doctor

import (
	"errors"
	"fmt"
	"strings"

	"github.com/posture-dev/posture/internal/forge"
)

func environmentItems(s *forge.Settings, branch string) []Item {
	e := s.Environment
	switch {
	case errors.Is(e.Err, forge.ErrNotFound):
		return []Item{{ID: "environment", Status: Fail, Message: fmt.Sprintf("environment %s does not exist", Environment),
			Fix: fmt.Sprintf("Settings → Environments → New environment %q; limit its deployment branches to %s, and add the secret %s and the variable %s",
				Environment, branch, KeySecret, ClientIDVariable)}, secretScopeItem(s)}
	case e.Err != nil:
		return []Item{unread("environment", "environment "+Environment, e.Err), secretScopeItem(s)}
	}
	return []Item{{ID: "environment", Status: OK, Message: fmt.Sprintf("environment %s exists", Environment)},
		branchesItem(s, branch), secretItem(s.Secrets), secretScopeItem(s), variableItem(s.Variables)}
}

func branchesItem(s *forge.Settings, branch string) Item {
	const id = "environment.branches"
	env := "environment " + Environment
	fix := fmt.Sprintf("Settings → Environments → %s → Deployment branches and tags → Selected branches and tags → add %s and nothing else",
		Environment, branch)
	policy := s.Environment.Value.GetDeploymentBranchPolicy()
	switch {
	case policy.GetCustomBranchPolicies():
		if s.BranchPolicies.Err != nil {
			return unread(id, "the deployment branches of "+env, s.BranchPolicies.Err)
		}
		ps := s.BranchPolicies.Value
		if len(ps) == 1 && ps[0].GetName() == branch && (ps[0].GetType() == "" || ps[0].GetType() == "branch") {
			return Item{ID: id, Status: OK, Message: fmt.Sprintf("%s deploys from %s only", env, branch)}
		}
		if len(ps) == 0 {
			return Item{ID: id, Status: Fail, Message: env + " names no deployment branch, so posture's jobs cannot use it", Fix: fix}
		}
		var names []string
		for _, p := range ps {
			n := p.GetName()
			if p.GetType() == "tag" {
				n = "tag " + n
			}
			names = append(names, n)
		}
		return Item{ID: id, Status: Fail, Message: fmt.Sprintf("%s deploys from %s, not from %s only", env, quoted(names), branch), Fix: fix}
	case policy.GetProtectedBranches():
		// Protected branches only is not enough, whatever is protected now:
		// GitHub documents it as branches with branch protection rules, so a
		// default branch guarded by a ruleset alone may not count, and a
		// protection pattern also admits the branches it will match later.
		if s.ProtectedBranches.Err != nil {
			return unread(id, "the protected branches", s.ProtectedBranches.Err)
		}
		why := "GitHub counts branches with branch protection rules there, not those of rulesets, and a protection pattern admits the branches pushed later that match it"
		if pb := s.ProtectedBranches.Value; len(pb) == 0 {
			why = "no branch is protected, and GitHub then lets every branch deploy"
		} else if len(pb) > 1 || pb[0] != branch {
			why = "which are " + quoted(pb)
		}
		return Item{ID: id, Status: Fail, Message: fmt.Sprintf("%s deploys from protected branches: %s", env, why), Fix: fix}
	}
	return Item{ID: id, Status: Fail,
		Message: fmt.Sprintf("%s lets every branch deploy, so a workflow pushed to any branch can read its secret %s", env, KeySecret), Fix: fix}
}

func secretItem(p forge.Part[[]string]) Item {
	const id = "environment.secret"
	env := "environment " + Environment
	if p.Err != nil {
		return unread(id, "the secrets of "+env, p.Err)
	}
	if hasName(p.Value, KeySecret) {
		return Item{ID: id, Status: OK, Message: fmt.Sprintf("%s has the secret %s", env, KeySecret)}
	}
	return Item{ID: id, Status: Fail,
		Message: fmt.Sprintf("%s has no secret %s, so its jobs cannot mint the posture app's token", env, KeySecret),
		Fix: fmt.Sprintf("Settings → Environments → %s → Environment secrets → Add environment secret %s: the private key (.pem) generated on the posture app's settings page",
			Environment, KeySecret)}
}

// secretScopeItem fails when a repository or an organization secret has
// the name of the environment's key: GitHub gives a job secrets.NAME from
// its environment, else the repository, else the organization, and a job
// without an environment gets the repository's or the organization's, so
// any workflow pushed to any branch could read the key, whatever the
// environment's deployment branches.
func secretScopeItem(s *forge.Settings) Item {
	const id = "environment.secret-scope"
	var where, fix []string
	if hasName(s.RepoSecrets.Value, KeySecret) {
		where = append(where, "a repository secret")
		fix = append(fix, "Settings → Secrets and variables → Actions → Repository secrets → delete "+KeySecret)
	}
	if hasName(s.OrgSecrets.Value, KeySecret) {
		where = append(where, "an organization secret shared with the repository")
		fix = append(fix, "organization settings → Secrets and variables → Actions → delete "+KeySecret+
			" or remove this repository from its repository access")
	}
	switch {
	case len(where) > 0: // a leak seen in one list is a failure whether or not the other could be read
	case s.RepoSecrets.Err != nil:
		return unread(id, "the repository's secrets", s.RepoSecrets.Err)
	case s.OrgSecrets.Err != nil:
		return unread(id, "the organization secrets shared with the repository", s.OrgSecrets.Err)
	default:
		return Item{ID: id, Status: OK,
			Message: fmt.Sprintf("%s is no repository or organization secret, so jobs outside environment %s cannot read it", KeySecret, Environment)}
	}
	return Item{ID: id, Status: Fail,
		Message: fmt.Sprintf("%s is %s, which any workflow pushed to any branch can read, whatever the deployment branches of environment %s",
			KeySecret, strings.Join(where, " and "), Environment),
		Fix: strings.Join(fix, "; ") + fmt.Sprintf("; keep the key only in environment %s", Environment)}
}

// hasName reports whether names holds name, ignoring case as GitHub does
// for secret names.
func hasName(names []string, name string) bool {
	for _, n := range names {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

func variableItem(p forge.Part[map[string]string]) Item {
	const id = "environment.variable"
	env := "environment " + Environment
	if p.Err != nil {
		return unread(id, "the variables of "+env, p.Err)
	}
	fix := fmt.Sprintf("Settings → Environments → %s → Environment variables → Add environment variable %s: the Client ID on the posture app's settings page",
		Environment, ClientIDVariable)
	v, ok := p.Value[ClientIDVariable]
	v = strings.TrimSpace(v)
	switch {
	case !ok:
		return Item{ID: id, Status: Fail,
			Message: fmt.Sprintf("%s has no variable %s, which the workflows pass to actions/create-github-app-token as client-id", env, ClientIDVariable),
			Fix:     fix}
	case v == "":
		return Item{ID: id, Status: Fail,
			Message: fmt.Sprintf("the variable %s of %s is empty, and with it the workflows mint no app token: they run with GITHUB_TOKEN, for evaluation only", ClientIDVariable, env),
			Fix:     fix}
	}
	return Item{ID: id, Status: OK, Message: fmt.Sprintf("%s has the variable %s (%s)", env, ClientIDVariable, v)}
}

// clientID is the environment's ClientIDVariable when its item holds, or "".
func clientID(s *forge.Settings, env []Item) string {
	for _, it := range env {
		if it.ID == "environment.variable" && it.Status == OK {
			return strings.TrimSpace(s.Variables.Value[ClientIDVariable])
		}
	}
	return ""
}

package doctor

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-github/v60/github"
	"github.com/posture-dev/posture/internal/forge"
)

const (
	appID       = 12345
	theClientID = "Iv23liEXAMPLE0000001"
)

var want = Want{Repo: "acme/device-reports", Statuses: []string{"posture/check", "posture/approvals"},
	BotLogin: "acme-posture[bot]", SettingsFile: "posture.yaml"}

// postureApp is the posture app as docs/admin.md sets it up.
func postureApp() *forge.App {
	return &forge.App{ID: appID, Slug: "acme-posture", ClientID: theClientID, Name: "acme-posture",
		Owner: "acme", OwnerType: "Organization",
		Permissions: map[string]string{"contents": "write", "pull_requests": "write", "issues": "write",
			"statuses": "write", "metadata": "read"}}
}

func rule(typ string, params any) forge.Rule {
	r := forge.Rule{Type: typ}
	if params != nil {
		r.Parameters, _ = json.Marshal(params)
	}
	return r
}

func statusRule(id any, contexts ...string) forge.Rule {
	var checks []map[string]any
	for _, c := range contexts {
		m := map[string]any{"context": c}
		if id != nil {
			m["integration_id"] = id
		}
		checks = append(checks, m)
	}
	return rule("required_status_checks", map[string]any{"required_status_checks": checks})
}

// postureRuleset is a ruleset as docs/doctor.md describes it.
func postureRuleset() forge.Ruleset {
	return forge.Ruleset{ID: 7, Name: "posture", Target: "branch", SourceType: "Repository", Enforcement: "active",
		BypassShown: true, Include: []string{"~DEFAULT_BRANCH"},
		Rules: []forge.Rule{rule("deletion", nil), rule("non_fast_forward", nil),
			rule("pull_request", map[string]any{"require_code_owner_review": true}),
			statusRule(appID, "posture/check", "posture/approvals")}}
}

// green returns settings where every item holds.
func green() *forge.Settings {
	return &forge.Settings{
		Repository: &github.Repository{Private: github.Bool(true), Visibility: github.String("private"),
			DefaultBranch: github.String("main"), AllowMergeCommit: github.Bool(true)},
		Rulesets: forge.Part[[]forge.Ruleset]{Value: []forge.Ruleset{postureRuleset()}},
		Environment: forge.Part[*github.Environment]{Value: &github.Environment{Name: github.String(Environment),
			DeploymentBranchPolicy: &github.BranchPolicy{ProtectedBranches: github.Bool(false), CustomBranchPolicies: github.Bool(true)}}},
		BranchPolicies: forge.Part[[]*github.DeploymentBranchPolicy]{Value: []*github.DeploymentBranchPolicy{
			{Name: github.String("main"), Type: github.String("branch")}}},
		Secrets:     forge.Part[[]string]{Value: []string{"OTHER", KeySecret}},
		Variables:   forge.Part[map[string]string]{Value: map[string]string{ClientIDVariable: theClientID, "POSTURE_APP_ID": "999"}},
		RepoSecrets: forge.Part[[]string]{Value: []string{"OTHER"}},
		OrgSecrets:  forge.Part[[]string]{Value: []string{"NPM_TOKEN"}},
		Labels:      forge.Part[[]string]{Value: append([]string{"bug"}, Labels()...)},
		Actions:     forge.Part[*github.ActionsPermissionsRepository]{Value: &github.ActionsPermissionsRepository{Enabled: github.Bool(true), AllowedActions: github.String("all")}},
		Workflow: forge.Part[*github.DefaultWorkflowPermissionRepository]{Value: &github.DefaultWorkflowPermissionRepository{
			DefaultWorkflowPermissions: github.String("read"), CanApprovePullRequestReviews: github.Bool(false)}},
		App:          forge.Part[*forge.App]{Value: postureApp()},
		Installation: &forge.Part[[]string]{Value: []string{"acme/other", "acme/device-reports"}},
	}
}

var greenIDs = []string{"repository.private", "repository.merge-commits", "ruleset.active", "ruleset.bypass",
	"ruleset.check", "ruleset.approvals", "ruleset.force-pushes", "ruleset.deletion", "ruleset.code-owners",
	"environment", "environment.branches", "environment.secret", "environment.secret-scope", "environment.variable", "labels",
	"actions.allowed", "actions.token", "actions.approve",
	"app.bot-login", "app.exists", "app.client-id", "app.permissions", "app.events", "app.installed"}

func TestGreen(t *testing.T) {
	items := Check(green(), want)
	var ids []string
	for _, it := range items {
		ids = append(ids, it.ID)
		if it.Status != OK || !strings.HasPrefix(it.String(), "ok   ") || it.Fix != "" {
			t.Errorf("%s: %s", it.ID, it)
		}
	}
	if strings.Join(ids, " ") != strings.Join(greenIDs, " ") {
		t.Errorf("items %v\nwant  %v", ids, greenIDs)
	}
	if !Clean(items) {
		t.Error("Clean = false")
	}
	for i, line := range map[int]string{
		4:  `ok   ruleset "posture" requires posture/check from the posture app (app id 12345)`,
		12: "ok   POSTURE_APP_PRIVATE_KEY is no repository or organization secret, so jobs outside environment posture cannot read it",
		13: "ok   environment posture has the variable POSTURE_APP_CLIENT_ID (Iv23liEXAMPLE0000001)",
		18: `ok   bot_login "acme-posture[bot]" in posture.yaml names the GitHub App acme-posture`,
		19: "ok   the GitHub App acme-posture exists (app id 12345, owned by acme)",
		20: "ok   the variable POSTURE_APP_CLIENT_ID of environment posture is the client id of the GitHub App acme-posture",
		21: "ok   the GitHub App acme-posture has the permissions posture uses and no other: Contents: write, Pull requests: write, Issues: write, Commit statuses: write, Metadata: read",
		22: "ok   the GitHub App acme-posture subscribes to no events",
	} {
		if got := items[i].String(); got != line {
			t.Errorf("line %d %q\nwant    %q", i, got, line)
		}
	}
}

func denied(accepted string) error {
	return fmt.Errorf("list: %w", &forge.DeniedError{Status: 403, Message: "Resource not accessible by personal access token",
		Accepted: accepted, Need: "Metadata: read"})
}

var errNotFound = fmt.Errorf("get: %w", &forge.NotFoundError{Method: "GET", Message: "Not Found"})

func TestBroken(t *testing.T) {
	tests := []struct {
		name   string
		tweak  func(w *Want)
		break_ func(s *forge.Settings)
		id     string
		status Status
		says   []string // in the line
		others bool     // other items fail too
	}{
		{name: "public", break_: func(s *forge.Settings) {
			s.Repository.Private = github.Bool(false)
			s.Repository.Visibility = github.String("public")
		},
			id: "repository.private", status: Fail, says: []string{"is public", "Change repository visibility → Private"}},
		{name: "internal", break_: func(s *forge.Settings) { s.Repository.Visibility = github.String("internal") },
			id: "repository.private", status: Fail, says: []string{"every member of the enterprise"}},
		{name: "no merge commits", break_: func(s *forge.Settings) { s.Repository.AllowMergeCommit = github.Bool(false) },
			id: "repository.merge-commits", status: Fail, says: []string{"tick Allow merge commits"}},
		{name: "merge settings hidden", break_: func(s *forge.Settings) { s.Repository.AllowMergeCommit = nil },
			id: "repository.merge-commits", status: Unknown, says: []string{"repository admin's token"}},

		{name: "rulesets unreadable", break_: func(s *forge.Settings) { s.Rulesets = forge.Part[[]forge.Ruleset]{Err: denied("")} },
			id: "ruleset", status: Unknown, says: []string{"cannot read the rulesets (403", "a token that has Metadata: read"}},
		{name: "no ruleset", break_: func(s *forge.Settings) { s.Rulesets.Value = nil },
			id: "ruleset", status: Fail, says: []string{"no ruleset applies to the default branch main", "New branch ruleset"}},
		{name: "ruleset on another branch", break_: func(s *forge.Settings) { s.Rulesets.Value[0].Include = []string{"refs/heads/release/*"} },
			id: "ruleset", status: Fail, says: []string{"no ruleset applies"}},
		{name: "main excluded", break_: func(s *forge.Settings) { s.Rulesets.Value[0].Exclude = []string{"refs/heads/ma*"} },
			id: "ruleset", status: Fail, says: []string{"no ruleset applies"}},
		{name: "evaluate", break_: func(s *forge.Settings) { s.Rulesets.Value[0].Enforcement = "evaluate" },
			id: "ruleset.active", status: Fail, says: []string{"in evaluate mode, so it enforces nothing", "Rulesets → posture → Enforcement status → Active"}},
		{name: "bypass", break_: func(s *forge.Settings) {
			s.Rulesets.Value[0].BypassActors = []github.BypassActor{{ActorID: github.Int64(5), ActorType: github.String("RepositoryRole"), BypassMode: github.String("always")},
				{ActorID: github.Int64(1), ActorType: github.String("OrganizationAdmin"), BypassMode: github.String("pull_request")}}
		}, id: "ruleset.bypass", status: Fail, says: []string{"bypassed by RepositoryRole 5 (always), OrganizationAdmin (pull_request)", "Bypass list → remove every entry"}},
		{name: "bypass hidden", break_: func(s *forge.Settings) { s.Rulesets.Value[0].BypassShown = false },
			id: "ruleset.bypass", status: Unknown, says: []string{"cannot see who may bypass", "admin's token"}},
		{name: "approvals not required", break_: func(s *forge.Settings) { s.Rulesets.Value[0].Rules[3] = statusRule(appID, "posture/check") },
			id: "ruleset.approvals", status: Fail,
			says: []string{`ruleset "posture" does not require posture/approvals from the posture app (app id 12345)`, "Add checks → posture/approvals, with the posture app (app id 12345) as its source"}},
		{name: "check from any source", break_: func(s *forge.Settings) {
			s.Rulesets.Value[0].Rules = append(s.Rulesets.Value[0].Rules[:3], statusRule(nil, "posture/check"), statusRule(appID, "posture/approvals"))
		}, id: "ruleset.check", status: Fail, says: []string{"from any source"}},
		{name: "check from GitHub Actions", break_: func(s *forge.Settings) {
			s.Rulesets.Value[0].Rules[3] = statusRule(15368, "posture/check", "posture/approvals")
		},
			id: "ruleset.check", status: Fail, says: []string{"from GitHub Actions (app id 15368), whose statuses any workflow run can set"}},
		{name: "check from another app", break_: func(s *forge.Settings) {
			s.Rulesets.Value[0].Rules[3] = statusRule(999, "posture/check", "posture/approvals")
		},
			id: "ruleset.approvals", status: Fail, says: []string{"from app id 999, not from the posture app (app id 12345)"}},
		{name: "app id unknown", break_: func(s *forge.Settings) { s.App = forge.Part[*forge.App]{Err: denied("")} },
			id: "ruleset.check", status: Unknown, says: []string{"from app id 12345, but the posture app's id is not known", "let bot_login in posture.yaml name the posture app", "or pass --app-id"}},
		{name: "app id from the flag", tweak: func(w *Want) { w.AppID = 999 }, break_: func(s *forge.Settings) {
			s.Rulesets.Value[0].Rules[3] = statusRule(999, "posture/check", "posture/approvals")
		}, id: "ruleset.approvals", status: OK, says: []string{"from the posture app (app id 999)"}, others: true},
		{name: "app id from the flag, not bot_login's app", tweak: func(w *Want) { w.AppID = 999 },
			id: "ruleset.check", status: Fail, says: []string{"from app id 12345, not from the posture app (app id 999)"}},
		{name: "app id from the flag, app not found", tweak: func(w *Want) { w.AppID = appID },
			break_: func(s *forge.Settings) { s.App = forge.Part[*forge.App]{Err: errNotFound} },
			id:     "ruleset.check", status: OK, says: []string{"from the posture app (app id 12345)"}, others: true},
		{name: "force pushes", break_: func(s *forge.Settings) { s.Rulesets.Value[0].Rules = s.Rulesets.Value[0].Rules[:1] },
			id: "ruleset.force-pushes", status: Fail, says: []string{"lets force pushes through", "tick Block force pushes"}},
		{name: "deletion", break_: func(s *forge.Settings) { s.Rulesets.Value[0].Rules = s.Rulesets.Value[0].Rules[1:] },
			id: "ruleset.deletion", status: Fail, says: []string{"lets the branch be deleted", "tick Restrict deletions"}},
		{name: "no code owners", break_: func(s *forge.Settings) { s.Rulesets.Value[0].Rules[2] = rule("pull_request", map[string]any{}) },
			id: "ruleset.code-owners", status: Fail, says: []string{"no code owner's review", "tick Require review from Code Owners"}},
		{name: "no pull request", break_: func(s *forge.Settings) { s.Rulesets.Value[0].Rules[2] = rule("required_signatures", nil) },
			id: "ruleset.code-owners", status: Fail, says: []string{"requires no pull request"}},
		{name: "organization ruleset", break_: func(s *forge.Settings) {
			s.Rulesets.Value[0].SourceType = "Organization"
			s.Rulesets.Value[0].Rules = s.Rulesets.Value[0].Rules[1:]
		}, id: "ruleset.deletion", status: Fail, says: []string{`organization ruleset "posture"`, "organization settings → Repository → Rulesets → posture"}},

		{name: "no environment", break_: func(s *forge.Settings) { s.Environment = forge.Part[*github.Environment]{Err: errNotFound} },
			id: "environment", status: Fail, says: []string{"environment posture does not exist", `New environment "posture"`, "POSTURE_APP_PRIVATE_KEY"}},
		{name: "environment unreadable", break_: func(s *forge.Settings) { s.Environment = forge.Part[*github.Environment]{Err: denied("actions=read")} },
			id: "environment", status: Unknown, says: []string{"a token that has Actions: read"}},
		{name: "every branch deploys", break_: func(s *forge.Settings) { s.Environment.Value.DeploymentBranchPolicy = nil },
			id: "environment.branches", status: Fail, says: []string{"lets every branch deploy", "Selected branches and tags → add main and nothing else"}},
		{name: "two branches deploy", break_: func(s *forge.Settings) {
			s.BranchPolicies.Value = append(s.BranchPolicies.Value, &github.DeploymentBranchPolicy{Name: github.String("v*"), Type: github.String("tag")})
		}, id: "environment.branches", status: Fail, says: []string{`deploys from "main", "tag v*", not from main only`}},
		{name: "a pattern for main", break_: func(s *forge.Settings) { s.BranchPolicies.Value[0].Name = github.String("ma*") },
			id: "environment.branches", status: Fail, says: []string{`deploys from "ma*"`}},
		{name: "no branch deploys", break_: func(s *forge.Settings) { s.BranchPolicies.Value = nil },
			id: "environment.branches", status: Fail, says: []string{"names no deployment branch"}},
		{name: "protected branches, main only", break_: func(s *forge.Settings) {
			s.Environment.Value.DeploymentBranchPolicy = &github.BranchPolicy{ProtectedBranches: github.Bool(true), CustomBranchPolicies: github.Bool(false)}
			s.ProtectedBranches.Value = []string{"main"}
		}, id: "environment.branches", status: Fail, says: []string{"deploys from protected branches: GitHub counts branches with branch protection rules there, not those of rulesets", "Selected branches and tags"}},
		{name: "protected branches, none protected", break_: func(s *forge.Settings) {
			s.Environment.Value.DeploymentBranchPolicy = &github.BranchPolicy{ProtectedBranches: github.Bool(true), CustomBranchPolicies: github.Bool(false)}
		}, id: "environment.branches", status: Fail, says: []string{"no branch is protected, and GitHub then lets every branch deploy"}},
		{name: "protected branches, two", break_: func(s *forge.Settings) {
			s.Environment.Value.DeploymentBranchPolicy = &github.BranchPolicy{ProtectedBranches: github.Bool(true), CustomBranchPolicies: github.Bool(false)}
			s.ProtectedBranches.Value = []string{"main", "release"}
		}, id: "environment.branches", status: Fail, says: []string{`protected branches: which are "main", "release"`}},
		{name: "no secret", break_: func(s *forge.Settings) { s.Secrets.Value = []string{"OTHER"} },
			id: "environment.secret", status: Fail, says: []string{"no secret POSTURE_APP_PRIVATE_KEY", "Add environment secret POSTURE_APP_PRIVATE_KEY"}},
		{name: "secrets unreadable", break_: func(s *forge.Settings) { s.Secrets = forge.Part[[]string]{Err: denied("environments=read")} },
			id: "environment.secret", status: Unknown, says: []string{"cannot read the secrets of environment posture (403", "Environments: read"}},
		{name: "key a repository secret", break_: func(s *forge.Settings) {
			s.RepoSecrets.Value = append(s.RepoSecrets.Value, "posture_app_private_key")
		}, id: "environment.secret-scope", status: Fail, says: []string{"POSTURE_APP_PRIVATE_KEY is a repository secret, which any workflow pushed to any branch can read",
			"Repository secrets → delete POSTURE_APP_PRIVATE_KEY; keep the key only in environment posture"}},
		{name: "key an organization secret", break_: func(s *forge.Settings) { s.OrgSecrets.Value = []string{KeySecret} },
			id: "environment.secret-scope", status: Fail, says: []string{"is an organization secret shared with the repository",
				"organization settings → Secrets and variables → Actions → delete POSTURE_APP_PRIVATE_KEY", "keep the key only in environment posture"}},
		{name: "key in every scope", break_: func(s *forge.Settings) {
			s.RepoSecrets.Value, s.OrgSecrets.Value = []string{KeySecret}, []string{KeySecret}
		}, id: "environment.secret-scope", status: Fail, says: []string{"is a repository secret and an organization secret shared with the repository, which", "Repository secrets → delete", "organization settings →"}},
		{name: "key a repository secret, no environment", break_: func(s *forge.Settings) {
			s.Environment = forge.Part[*github.Environment]{Err: errNotFound}
			s.RepoSecrets.Value = []string{KeySecret}
		}, id: "environment.secret-scope", status: Fail, says: []string{"is a repository secret"}, others: true},
		{name: "key a repository secret, organization secrets unreadable", break_: func(s *forge.Settings) {
			s.RepoSecrets.Value = []string{KeySecret}
			s.OrgSecrets = forge.Part[[]string]{Err: denied("secrets=read")}
		}, id: "environment.secret-scope", status: Fail, says: []string{"is a repository secret, which", "Repository secrets → delete"}},
		{name: "repository secrets unreadable", break_: func(s *forge.Settings) { s.RepoSecrets = forge.Part[[]string]{Err: denied("secrets=read")} },
			id: "environment.secret-scope", status: Unknown, says: []string{"cannot read the repository's secrets (403", "a token that has Secrets: read"}},
		{name: "organization secrets unreadable", break_: func(s *forge.Settings) { s.OrgSecrets = forge.Part[[]string]{Err: denied("secrets=read")} },
			id: "environment.secret-scope", status: Unknown, says: []string{"cannot read the organization secrets shared with the repository (403", "Secrets: read"}},
		{name: "no variable", break_: func(s *forge.Settings) { s.Variables.Value = map[string]string{"POSTURE_APP_ID": "12345"} },
			id: "environment.variable", status: Fail, says: []string{"no variable POSTURE_APP_CLIENT_ID, which the workflows pass to actions/create-github-app-token as client-id",
				"Add environment variable POSTURE_APP_CLIENT_ID: the Client ID"}},
		{name: "empty variable", break_: func(s *forge.Settings) { s.Variables.Value[ClientIDVariable] = " " },
			id: "environment.variable", status: Fail, says: []string{"is empty", "for evaluation only"}},
		{name: "variables unreadable", break_: func(s *forge.Settings) { s.Variables = forge.Part[map[string]string]{Err: denied("environments=read")} },
			id: "environment.variable", status: Unknown, says: []string{"cannot read the variables of environment posture", "Environments: read"}},

		{name: "labels missing", break_: func(s *forge.Settings) { s.Labels.Value = []string{"2A SUPERVISOR: PENDING", "form/monthly-report"} },
			id: "labels", status: Fail, says: []string{"6 of the 8 labels", `"2a supervisor: approved"`, `"form/request-exception"`, "Issues → Labels → New label"}},
		{name: "labels unreadable", break_: func(s *forge.Settings) {
			s.Labels = forge.Part[[]string]{Err: denied("issues=read; pull_requests=read")}
		},
			id: "labels", status: Unknown, says: []string{"Issues: read or Pull requests: read"}},

		{name: "actions disabled", break_: func(s *forge.Settings) {
			s.Actions.Value = &github.ActionsPermissionsRepository{Enabled: github.Bool(false)}
		},
			id: "actions.allowed", status: Fail, says: []string{"GitHub Actions is disabled"}},
		{name: "local actions only", break_: func(s *forge.Settings) { s.Actions.Value.AllowedActions = github.String("local_only") },
			id: "actions.allowed", status: Fail, says: []string{"only the owner's own actions", "posture-dev/posture@*"}},
		{name: "selected without posture", break_: func(s *forge.Settings) {
			s.Actions.Value.AllowedActions = github.String("selected")
			s.SelectedActions.Value = &github.ActionsAllowed{GithubOwnedAllowed: github.Bool(true), PatternsAllowed: []string{"posture-dev/posture@v1"}}
		}, id: "actions.allowed", status: Fail, says: []string{"does not allow posture-dev/posture,", "add posture-dev/posture@*"}},
		{name: "selected without GitHub's", break_: func(s *forge.Settings) {
			s.Actions.Value.AllowedActions = github.String("selected")
			s.SelectedActions.Value = &github.ActionsAllowed{PatternsAllowed: []string{"posture-dev/*"}}
		}, id: "actions.allowed", status: Fail, says: []string{"does not allow actions/checkout, actions/setup-go", "tick Allow actions created by GitHub"}},
		{name: "selected unreadable", break_: func(s *forge.Settings) {
			s.Actions.Value.AllowedActions = github.String("selected")
			s.SelectedActions.Err = denied("administration=read")
		}, id: "actions.allowed", status: Unknown, says: []string{"Administration: read"}},
		{name: "token writes", break_: func(s *forge.Settings) { s.Workflow.Value.DefaultWorkflowPermissions = github.String("write") },
			id: "actions.token", status: Fail, says: []string{"may read and write by default", "Read repository contents and packages permissions"}},
		{name: "actions approve", break_: func(s *forge.Settings) { s.Workflow.Value.CanApprovePullRequestReviews = github.Bool(true) },
			id: "actions.approve", status: Fail, says: []string{"opens its pull requests with the posture app's installation token", "untick Allow GitHub Actions to create and approve pull requests"}},

		{name: "no app token", break_: func(s *forge.Settings) { s.Installation = nil },
			id: "app.installed", status: Unknown, says: []string{"cannot verify that the posture app is installed on acme/device-reports", "run with the app's installation token in $POSTURE_APP_TOKEN"}},
		{name: "app token expired", break_: func(s *forge.Settings) {
			s.Installation = &forge.Part[[]string]{Err: &forge.DeniedError{Status: 401, Message: "Bad credentials"}}
		}, id: "app.installed", status: Unknown, says: []string{"refused $POSTURE_APP_TOKEN (401 Bad credentials)", "expire after an hour"}},
		{name: "app not on the repository", break_: func(s *forge.Settings) { s.Installation.Value = []string{"acme/other"} },
			id: "app.installed", status: Fail, says: []string{"does not reach acme/device-reports", "Repository access → add acme/device-reports"}},
		{name: "app not on the repository, app unknown", break_: func(s *forge.Settings) {
			s.Installation.Value = nil
			s.App = forge.Part[*forge.App]{Err: errNotFound}
		}, id: "app.installed", status: Fail, says: []string{"GitHub Apps → posture → Configure"}},

		{name: "no posture.yaml", tweak: func(w *Want) { w.BotLogin, w.NoSettings = "", true },
			id: "app.bot-login", status: Fail, says: []string{"there is no posture.yaml, whose bot_login names the posture app", "run posture doctor in the repository's clone (-C DIR)"}},
		{name: "no bot_login", tweak: func(w *Want) { w.BotLogin = "" },
			id: "app.bot-login", status: Fail, says: []string{"posture.yaml sets no bot_login, so doctor cannot tell which GitHub App is the posture app",
				"write bot_login: <slug>[bot] in posture.yaml", "https://github.com/apps/<slug>"}},
		{name: "bot_login of a user", tweak: func(w *Want) { w.BotLogin = "posture-bot" },
			id: "app.bot-login", status: Fail, says: []string{`bot_login "posture-bot" in posture.yaml is no GitHub App's login, which is the app's slug and "[bot]"`,
				"write bot_login: posture-bot[bot] in posture.yaml if posture-bot is the posture app's slug"}},
		{name: "bot_login no slug", tweak: func(w *Want) { w.BotLogin, w.SettingsFile = "acme posture[bot]", "../reports/posture.yaml" },
			id: "app.bot-login", status: Fail, says: []string{`bot_login "acme posture[bot]" in ../reports/posture.yaml is no GitHub App's login`, "write bot_login: <slug>[bot] in ../reports/posture.yaml"}},
		{name: "no such app", break_: func(s *forge.Settings) { s.App = forge.Part[*forge.App]{Err: errNotFound} },
			id: "app.exists", status: Fail, says: []string{"there is no GitHub App acme-posture, or it is private and the token may not see it",
				"correct bot_login in posture.yaml", "or create the app as docs/admin.md says"}},
		{name: "app unreadable", break_: func(s *forge.Settings) { s.App = forge.Part[*forge.App]{Err: denied("")} },
			id: "app.exists", status: Unknown, says: []string{"cannot read the GitHub App acme-posture (403"}},
		{name: "flag and app differ", tweak: func(w *Want) { w.AppID = 999 },
			id: "app.exists", status: Fail, says: []string{"the GitHub App acme-posture has app id 12345, but --app-id says 999", "pass --app-id 12345, or correct bot_login in posture.yaml"}},
		{name: "another app's client id", break_: func(s *forge.Settings) { s.Variables.Value[ClientIDVariable] = "Iv23liOTHER" },
			id: "app.client-id", status: Fail, says: []string{`POSTURE_APP_CLIENT_ID of environment posture is "Iv23liOTHER", but the client id of the GitHub App acme-posture is "Iv23liEXAMPLE0000001"`,
				"set POSTURE_APP_CLIENT_ID to Iv23liEXAMPLE0000001, and the secret POSTURE_APP_PRIVATE_KEY to a private key of acme-posture"}},
		{name: "no client id in the answer", break_: func(s *forge.Settings) { s.App.Value.ClientID = "" },
			id: "app.client-id", status: Unknown, says: []string{"has no client_id", "check by hand"}},
		{name: "more permissions", break_: func(s *forge.Settings) {
			s.App.Value.Permissions["workflows"] = "write"
			s.App.Value.Permissions["actions"] = "read"
		}, id: "app.permissions", status: Fail, says: []string{"the GitHub App acme-posture has Actions: read, Workflows: write, which posture does not use: ",
			"the settings of organization acme → Developer settings → GitHub Apps → acme-posture → Edit → Permissions & events → Repository permissions",
			"every other permission No access"}},
		{name: "fewer permissions", break_: func(s *forge.Settings) {
			delete(s.App.Value.Permissions, "statuses")
			s.App.Value.Permissions["contents"] = "read"
		}, id: "app.permissions", status: Fail, says: []string{"the GitHub App acme-posture has Contents: read instead of write; lacks Commit statuses: write: "}},
		{name: "user's app", break_: func(s *forge.Settings) {
			s.App.Value.OwnerType, s.App.Value.Owner = "User", "octocat"
			s.App.Value.Permissions["pull_requests"] = "read"
		}, id: "app.permissions", status: Fail, says: []string{"has Pull requests: read instead of write", "the account settings of octocat → Developer settings"}},
		{name: "events", break_: func(s *forge.Settings) { s.App.Value.Events = []string{"push", "pull_request"} },
			id: "app.events", status: Fail, says: []string{`subscribes to the events "push", "pull_request", but posture's app listens to nothing`, "Subscribe to events: untick every one"}},
		{name: "installation of bot_login's app", break_: func(s *forge.Settings) { s.Installation.Value = nil },
			id: "app.installed", status: Fail, says: []string{"GitHub Apps → acme-posture → Configure → Repository access → add acme/device-reports"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := green()
			if tt.break_ != nil {
				tt.break_(s)
			}
			w := want
			if tt.tweak != nil {
				tt.tweak(&w)
			}
			items := Check(s, w)
			var got *Item
			for i := range items {
				if items[i].ID == tt.id {
					got = &items[i]
				}
			}
			if got == nil {
				t.Fatalf("no item %s in %v", tt.id, items)
			}
			if got.Status != tt.status {
				t.Errorf("%s: status %d, want %d: %s", tt.id, got.Status, tt.status, got)
			}
			for _, s := range tt.says {
				if !strings.Contains(got.String(), s) {
					t.Errorf("line %q\ndoes not say %q", got, s)
				}
			}
			if Clean(items) != (tt.status == OK && !tt.others) {
				t.Errorf("Clean = %v with %s %d", Clean(items), tt.id, tt.status)
			}
			if tt.status != OK && got.Fix == "" {
				t.Errorf("%s has no fix", tt.id)
			}
		})
	}
}

func TestTheBestRulesetIsJudged(t *testing.T) {
	s := green()
	weak := postureRuleset()
	weak.ID, weak.Name, weak.Rules = 3, "signatures", []forge.Rule{rule("required_signatures", nil)}
	s.Rulesets.Value = []forge.Ruleset{weak, postureRuleset()}
	if items := Check(s, want); !Clean(items) {
		t.Errorf("a second, weaker ruleset spoils the verdict: %v", items)
	}
}

func TestRefMatches(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		match   bool
	}{
		{"~DEFAULT_BRANCH", true}, {"~ALL", true}, {"refs/heads/main", true}, {"main", true},
		{"refs/heads/m*", true}, {"refs/heads/*", true}, {"refs/heads/**", true}, {"refs/**", true},
		{"refs/heads/mai?", true}, {"refs/heads/master", false}, {"refs/*", false}, {"refs/tags/main", false},
		{"refs/heads/main.x", false},
	} {
		if got := refMatches(tc.pattern, "main"); got != tc.match {
			t.Errorf("refMatches(%q, main) = %v, want %v", tc.pattern, got, tc.match)
		}
	}
}

func TestAllowedActions(t *testing.T) {
	for _, tc := range []struct {
		patterns    []string
		githubOwned bool
		action      string
		allowed     bool
	}{
		{nil, true, "actions/checkout", true},
		{nil, false, "actions/checkout", false},
		{nil, true, "posture-dev/posture", false},
		{[]string{"posture-dev/posture@*"}, false, "posture-dev/posture", true},
		{[]string{"Posture-Dev/*"}, false, "posture-dev/posture", true},
		{[]string{"posture-*/*"}, false, "posture-dev/posture", true},
		{[]string{"posture-dev/posture"}, false, "posture-dev/posture", true},
		{[]string{"posture-dev/posture@v1.2.0"}, false, "posture-dev/posture", false},
		{[]string{"posture-dev/posture-extra@*"}, false, "posture-dev/posture", false},
		{[]string{"*/*"}, false, "posture-dev/posture", true},
	} {
		a := &github.ActionsAllowed{GithubOwnedAllowed: github.Bool(tc.githubOwned), PatternsAllowed: tc.patterns}
		if got := allowed(tc.action, "", a); got != tc.allowed {
			t.Errorf("allowed(%s) with %v, GitHub's %v = %v, want %v", tc.action, tc.patterns, tc.githubOwned, got, tc.allowed)
		}
	}
}

// TestAppLinesFollowTheApp: a line that another's failure makes
// meaningless is left out, rather than failing twice for one cause.
func TestAppLinesFollowTheApp(t *testing.T) {
	tests := []struct {
		name   string
		tweak  func(w *Want)
		break_ func(s *forge.Settings)
		ids    []string // the app.* items
	}{
		{name: "green", ids: []string{"app.bot-login", "app.exists", "app.client-id", "app.permissions", "app.events", "app.installed"}},
		{name: "no app named", tweak: func(w *Want) { w.BotLogin = "posture-bot" },
			ids: []string{"app.bot-login", "app.installed"}},
		{name: "no such app", break_: func(s *forge.Settings) { s.App = forge.Part[*forge.App]{Err: errNotFound} },
			ids: []string{"app.bot-login", "app.exists", "app.installed"}},
		{name: "no client id variable", break_: func(s *forge.Settings) { delete(s.Variables.Value, ClientIDVariable) },
			ids: []string{"app.bot-login", "app.exists", "app.permissions", "app.events", "app.installed"}},
		{name: "no environment", break_: func(s *forge.Settings) { s.Environment = forge.Part[*github.Environment]{Err: errNotFound} },
			ids: []string{"app.bot-login", "app.exists", "app.permissions", "app.events", "app.installed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, w := green(), want
			if tt.break_ != nil {
				tt.break_(s)
			}
			if tt.tweak != nil {
				tt.tweak(&w)
			}
			var ids []string
			for _, it := range Check(s, w) {
				if strings.HasPrefix(it.ID, "app.") {
					ids = append(ids, it.ID)
				}
			}
			if strings.Join(ids, " ") != strings.Join(tt.ids, " ") {
				t.Errorf("app items %v\nwant      %v", ids, tt.ids)
			}
		})
	}
}

func TestAppSlug(t *testing.T) {
	for _, tc := range []struct{ login, slug string }{
		{"acme-posture[bot]", "acme-posture"},
		{" acme-posture[bot] ", "acme-posture"},
		{"posture2[bot]", "posture2"},
		{"acme-posture", ""},
		{"[bot]", ""},
		{"acme posture[bot]", ""},
		{"acme/posture[bot]", ""},
		{"-posture[bot]", ""},
		{"acme-posture[bot][bot]", ""},
		{"", ""},
	} {
		slug, ok := AppSlug(tc.login)
		if slug != tc.slug || ok != (tc.slug != "") {
			t.Errorf("AppSlug(%q) = %q, %v; want %q", tc.login, slug, ok, tc.slug)
		}
	}
}

package forge_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/forge/githubtest"
)

func TestRulesets(t *testing.T) {
	c, srv, _ := setup(t)
	for i := range 101 {
		srv.AddRuleset(githubtest.Ruleset{Name: fmt.Sprint("filler ", i), Enforcement: "disabled"})
	}
	id := srv.AddRuleset(githubtest.Ruleset{Name: "posture", BypassActors: []githubtest.BypassActor{
		{ActorID: 5, ActorType: "RepositoryRole", BypassMode: "pull_request"}},
		Rules: []githubtest.Rule{{Type: "deletion"}, githubtest.StatusChecksRule(12345, "posture/check"),
			githubtest.PullRequestRule(true),
			// Types go-github v60 cannot decode: they must not spoil the ruleset.
			{Type: "merge_queue", Parameters: map[string]any{"check_response_timeout_minutes": 60,
				"grouping_strategy": "ALLGREEN", "max_entries_to_build": 5, "max_entries_to_merge": 5,
				"merge_method": "MERGE", "min_entries_to_merge": 1, "min_entries_to_merge_wait_minutes": 5}},
			{Type: "code_scanning", Parameters: map[string]any{"code_scanning_tools": []any{}}}}})
	srv.AddRuleset(githubtest.Ruleset{Name: "org", SourceType: "Organization", HideBypass: true,
		Include: []string{"~ALL"}, Exclude: []string{"refs/heads/tmp/*"}})
	srv.AddRuleset(githubtest.Ruleset{Name: "tags", Target: "tag"})

	got, err := c.Rulesets(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 103 {
		t.Fatalf("%d rulesets, want 103 (the tag ruleset left out)", len(got))
	}
	if n := srv.Calls("GET", "rulesets"); n != 2 {
		t.Errorf("listed in %d pages, want 2", n)
	}
	if n := srv.Calls("GET", "rulesets/*"); n != 103 {
		t.Errorf("read %d rulesets in full, want 103 (not the tag ruleset)", n)
	}
	for _, call := range srv.Log() {
		if call.Query.Get("includes_parents") != "true" {
			t.Errorf("%s %s without includes_parents=true", call.Method, call.Path)
		}
	}
	p := got[101]
	if p.ID != id || p.Name != "posture" || p.Enforcement != "active" || p.SourceType != "Repository" ||
		!p.BypassShown || len(p.BypassActors) != 1 || p.BypassActors[0].GetActorType() != "RepositoryRole" ||
		!slices.Equal(p.Include, []string{"~DEFAULT_BRANCH"}) {
		t.Errorf("ruleset = %+v", p)
	}
	if len(p.Rules) != 5 || p.Rules[3].Type != "merge_queue" {
		t.Fatalf("rules = %+v", p.Rules)
	}
	checks := p.Rules[1].StatusChecks()
	if len(checks) != 1 || checks[0].Context != "posture/check" || checks[0].GetIntegrationID() != 12345 {
		t.Errorf("status checks = %+v", checks)
	}
	if pr, ok := p.Rules[2].PullRequest(); !ok || !pr.RequireCodeOwnerReview {
		t.Errorf("pull request rule = %+v, %v", pr, ok)
	}
	if _, ok := p.Rules[0].PullRequest(); ok || p.Rules[0].StatusChecks() != nil {
		t.Error("a deletion rule decoded as another type")
	}
	org := got[102]
	if org.SourceType != "Organization" || org.Source != githubtest.Owner || org.BypassShown ||
		!slices.Equal(org.Include, []string{"~ALL"}) || !slices.Equal(org.Exclude, []string{"refs/heads/tmp/*"}) {
		t.Errorf("organization ruleset = %+v", org)
	}
	if !got[0].BypassShown || len(got[0].BypassActors) != 0 {
		t.Errorf("an empty bypass list is shown: %+v", got[0])
	}
}

func TestEnvironmentReads(t *testing.T) {
	c, srv, _ := setup(t)
	vars := map[string]string{}
	for i := range 34 {
		vars[fmt.Sprintf("V%02d", i)] = fmt.Sprint(i)
	}
	vars["POSTURE_APP_CLIENT_ID"] = "Iv23liEXAMPLE"
	srv.AddEnvironment(githubtest.Environment{Name: "posture", Branches: "custom",
		Policies: []githubtest.BranchPolicy{{Name: "main"}, {Name: "v*", Type: "tag"}},
		Secrets:  []string{"POSTURE_APP_PRIVATE_KEY", "OTHER"}, Variables: vars})
	ctx := context.Background()

	env, err := c.Environment(ctx, "posture")
	if err != nil {
		t.Fatal(err)
	}
	if !env.GetDeploymentBranchPolicy().GetCustomBranchPolicies() || env.GetDeploymentBranchPolicy().GetProtectedBranches() {
		t.Errorf("deployment branch policy = %+v", env.GetDeploymentBranchPolicy())
	}
	policies, err := c.DeploymentBranchPolicies(ctx, "posture")
	if err != nil {
		t.Fatal(err)
	}
	if len(policies) != 2 || policies[0].GetName() != "main" || policies[0].GetType() != "branch" || policies[1].GetType() != "tag" {
		t.Errorf("policies = %+v", policies)
	}
	secrets, err := c.EnvironmentSecrets(ctx, "posture")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(secrets, []string{"OTHER", "POSTURE_APP_PRIVATE_KEY"}) {
		t.Errorf("secrets = %v", secrets)
	}
	got, err := c.EnvironmentVariables(ctx, "posture")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 35 || got["POSTURE_APP_CLIENT_ID"] != "Iv23liEXAMPLE" || got["V33"] != "33" {
		t.Errorf("%d variables: %v", len(got), got)
	}
	if n := srv.Calls("GET", "environments/posture/variables"); n != 2 {
		t.Errorf("variables read in %d pages, want 2 (GitHub pages them 30 at a time)", n)
	}

	_, err = c.Environment(ctx, "missing")
	if !errors.Is(err, forge.ErrNotFound) {
		t.Errorf("a missing environment: %v, want ErrNotFound", err)
	}
}

func TestRepositoryAndOrganizationSecrets(t *testing.T) {
	c, srv, _ := setup(t)
	var many []string
	for i := range 101 {
		many = append(many, fmt.Sprintf("S%03d", i))
	}
	srv.SetRepoSecrets(append(many, "posture_app_private_key")...)
	srv.SetOrgSecrets("NPM_TOKEN")

	s, err := c.ReadSettings(context.Background(), forge.SettingsRequest{Environment: "missing"})
	if err != nil {
		t.Fatal(err)
	}
	if s.RepoSecrets.Err != nil || len(s.RepoSecrets.Value) != 102 || s.RepoSecrets.Value[101] != "posture_app_private_key" {
		t.Errorf("repository secrets: %d %v", len(s.RepoSecrets.Value), s.RepoSecrets.Err)
	}
	if n := srv.Calls("GET", "actions/secrets"); n != 2 {
		t.Errorf("repository secrets read in %d pages, want 2", n)
	}
	if s.OrgSecrets.Err != nil || !slices.Equal(s.OrgSecrets.Value, []string{"NPM_TOKEN"}) {
		t.Errorf("organization secrets: %v %v", s.OrgSecrets.Value, s.OrgSecrets.Err)
	}

	srv.Inject(githubtest.Denied("GET", "actions/secrets", "secrets=read"),
		githubtest.Denied("GET", "actions/organization-secrets", ""))
	s, err = c.ReadSettings(context.Background(), forge.SettingsRequest{Environment: "missing"})
	if err != nil {
		t.Fatal(err)
	}
	var d *forge.DeniedError
	if !errors.As(s.RepoSecrets.Err, &d) || d.Permission() != "Secrets: read" || s.RepoSecrets.Value != nil {
		t.Errorf("repository secrets denied: %v", s.RepoSecrets.Err)
	}
	if !errors.As(s.OrgSecrets.Err, &d) || d.Permission() != "Secrets: read" {
		t.Errorf("organization secrets denied without the header: %v, want the documented permission", s.OrgSecrets.Err)
	}
}

func TestDenied(t *testing.T) {
	c, srv, _ := setup(t)
	srv.Inject(githubtest.Denied("GET", "actions/permissions", "administration=read"),
		githubtest.Denied("GET", "labels", ""))
	ctx := context.Background()

	_, err := c.ActionsPermissions(ctx)
	var d *forge.DeniedError
	if !errors.As(err, &d) || !errors.Is(err, forge.ErrForbidden) || errors.Is(err, forge.ErrUnauthorized) {
		t.Fatalf("err = %v, want a *DeniedError matching ErrForbidden", err)
	}
	if d.Status != 403 || d.Permission() != "Administration: read" || d.Message != "Resource not accessible by personal access token" {
		t.Errorf("denied = %+v, permission %q", d, d.Permission())
	}
	_, err = c.LabelNames(ctx)
	if !errors.As(err, &d) || d.Permission() != "Issues: read" {
		t.Errorf("without the header: %v, permission %q; want the documented one", err, d.Permission())
	}
	if n := srv.Calls("GET", "actions/permissions"); n != 1 {
		t.Errorf("a permission error was sent %d times, want once (it is no rate limit)", n)
	}
}

func TestPermissionWords(t *testing.T) {
	for _, tc := range []struct{ accepted, want string }{
		{"administration=read", "Administration: read"},
		{"issues=read; pull_requests=read", "Issues: read or Pull requests: read"},
		{"contents=read,statuses=write", "Contents: read and Statuses: write"},
		{"", "Metadata: read"},
		{" ; ", "Metadata: read"},
	} {
		d := &forge.DeniedError{Accepted: tc.accepted, Need: "Metadata: read"}
		if got := d.Permission(); got != tc.want {
			t.Errorf("Permission(%q) = %q, want %q", tc.accepted, got, tc.want)
		}
	}
}

func TestInstallationRepositories(t *testing.T) {
	_, srv, clk := setup(t)
	srv.SetInstallation("ghs_app", "acme/other", githubtest.Owner+"/"+githubtest.Repo)
	newApp := func(token string) *forge.Client {
		app, err := forge.New(forge.Options{HTTPClient: srv.Client(), BaseURL: srv.URL(), Token: token,
			Owner: githubtest.Owner, Repo: githubtest.Repo, Sleep: clk.Sleep, Now: clk.Now, Log: githubtest.TestLog(t)})
		if err != nil {
			t.Fatal(err)
		}
		return app
	}
	repos, err := newApp("ghs_app").InstallationRepositories(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(repos, []string{"acme/other", "acme/device-reports"}) {
		t.Errorf("repositories = %v", repos)
	}
	_, err = newApp("ghs_expired").InstallationRepositories(context.Background())
	if !errors.Is(err, forge.ErrUnauthorized) {
		t.Errorf("an expired token: %v, want ErrUnauthorized", err)
	}
}

func TestReadSettingsAsksOnlyWhatIsNeeded(t *testing.T) {
	c, srv, _ := setup(t)
	srv.AddEnvironment(githubtest.Environment{Name: "posture"}) // every branch may deploy
	srv.SetActions(githubtest.Actions{Allowed: "local_only"})
	srv.SetRepoSettings(githubtest.RepoSettings{HideMergeSettings: true})

	s, err := c.ReadSettings(context.Background(), forge.SettingsRequest{Environment: "posture"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"environments/posture/deployment-branch-policies", "branches",
		"actions/permissions/selected-actions", "/installation/repositories", "/apps/*"} {
		if n := srv.Calls("GET", p); n != 0 {
			t.Errorf("GET %s sent %d times; it is not needed", p, n)
		}
	}
	if s.Repository.AllowMergeCommit != nil || !s.Repository.GetPrivate() || s.Repository.GetDefaultBranch() != "main" {
		t.Errorf("repository = %+v", s.Repository)
	}
	if s.Environment.Err != nil || s.Environment.Value.GetDeploymentBranchPolicy() != nil || s.Installation != nil ||
		s.App.Value != nil || s.App.Err != nil {
		t.Errorf("settings = %+v", s)
	}
	if s.Actions.Value.GetAllowedActions() != "local_only" || s.Workflow.Value.GetDefaultWorkflowPermissions() != "read" {
		t.Errorf("actions = %+v, workflow = %+v", s.Actions.Value, s.Workflow.Value)
	}
}

func TestReadSettingsKeepsRefusalsAndMissingParts(t *testing.T) {
	c, srv, _ := setup(t)
	srv.ProtectBranches("main", "release")
	srv.AddEnvironment(githubtest.Environment{Name: "posture", Branches: "protected"})
	srv.SetActions(githubtest.Actions{Allowed: "selected", GitHubOwned: true})
	srv.Inject(githubtest.Denied("GET", "environments/posture/secrets", "environments=read"),
		githubtest.ServerError("GET", "labels", 502))

	s, err := c.ReadSettings(context.Background(), forge.SettingsRequest{Environment: "posture"})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(s.Secrets.Err, forge.ErrForbidden) || s.Variables.Err != nil {
		t.Errorf("secrets: %v, variables: %v", s.Secrets.Err, s.Variables.Err)
	}
	if !slices.Equal(s.ProtectedBranches.Value, []string{"main", "release"}) {
		t.Errorf("protected branches = %v", s.ProtectedBranches.Value)
	}
	if !s.SelectedActions.Value.GetGithubOwnedAllowed() {
		t.Errorf("selected actions = %+v", s.SelectedActions.Value)
	}
	if s.Labels.Err != nil || len(s.Labels.Value) != 0 {
		t.Errorf("labels after a 502 and a retry: %v %v", s.Labels.Value, s.Labels.Err)
	}

	srv.Inject(githubtest.ServerError("GET", "actions/permissions/workflow", 500), githubtest.Fault{
		Method: "GET", Path: "actions/permissions/workflow", Times: 5, Status: 500}) // 1 + 5 retries
	if _, err := c.ReadSettings(context.Background(), forge.SettingsRequest{Environment: "missing"}); err == nil {
		t.Error("a failure that is no refusal must end ReadSettings")
	}
	missing, err := c.ReadSettings(context.Background(), forge.SettingsRequest{Environment: "missing"})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(missing.Environment.Err, forge.ErrNotFound) || missing.Secrets.Err != nil || missing.Secrets.Value != nil {
		t.Errorf("a missing environment: %v, secrets %v %v", missing.Environment.Err, missing.Secrets.Value, missing.Secrets.Err)
	}
}

package githubtest

import (
	"net/http"
	"strings"
)

// The repository settings posture doctor reads: the repository itself,
// its rulesets, deployment environments (with their branch policies,
// secrets and variables), the repository's Actions secrets and the
// organization secrets shared with it, protected branches, Actions
// permissions, the repositories an app installation reaches, and GitHub
// Apps (apps.go). Unseeded, they are what GitHub gives a new private
// repository: merge commits allowed, no ruleset, no environment, no
// repository or organization secret, Actions enabled for all
// actions, a read-only GITHUB_TOKEN that cannot approve pull requests, no
// app installation; and no GitHub App is known.

// RepoSettings are the repository's own settings, as GET /repos/{owner}/{repo} shows them.
type RepoSettings struct {
	// Visibility is "private" (the default), "public" or "internal".
	Visibility string
	// AllowMergeCommit is allow_merge_commit; nil means GitHub's default, true.
	AllowMergeCommit *bool
	// HideMergeSettings leaves the allow_* fields out of the answer, as
	// GitHub does for a token that may not change them.
	HideMergeSettings bool
}

// Ruleset is a branch ruleset that applies to the repository.
type Ruleset struct {
	ID          int64  // set by AddRuleset
	Name        string // required
	Target      string // "branch" (default), "tag" or "push"
	SourceType  string // "Repository" (default) or "Organization"
	Enforcement string // "active" (default), "evaluate" or "disabled"
	// BypassActors may bypass the ruleset. HideBypass leaves the list out
	// of the answer, as GitHub does for a token that may not edit the
	// ruleset.
	BypassActors []BypassActor
	HideBypass   bool
	// Include and Exclude are the ref_name conditions; Include defaults to
	// ["~DEFAULT_BRANCH"].
	Include, Exclude []string
	Rules            []Rule
}

// BypassActor is an entry of a ruleset's bypass list.
type BypassActor struct {
	ActorID    int64
	ActorType  string // "Integration", "OrganizationAdmin", "RepositoryRole", "Team", "DeployKey"
	BypassMode string // "always" (default) or "pull_request"
}

// Rule is one rule of a ruleset; Parameters is marshalled as it is.
type Rule struct {
	Type       string
	Parameters any
}

// StatusChecksRule requires the contexts, each from the app integrationID
// (0: from any source).
func StatusChecksRule(integrationID int64, contexts ...string) Rule {
	var checks []object
	for _, c := range contexts {
		o := object{"context": c}
		if integrationID != 0 {
			o["integration_id"] = integrationID
		}
		checks = append(checks, o)
	}
	return Rule{Type: "required_status_checks", Parameters: object{"required_status_checks": checks,
		"strict_required_status_checks_policy": false, "do_not_enforce_on_create": false}}
}

// PullRequestRule requires a pull request, and a code owner's review if codeOwners.
func PullRequestRule(codeOwners bool) Rule {
	return Rule{Type: "pull_request", Parameters: object{"required_approving_review_count": 0,
		"dismiss_stale_reviews_on_push": true, "require_code_owner_review": codeOwners,
		"require_last_push_approval": false, "required_review_thread_resolution": false,
		"allowed_merge_methods": []string{"merge", "squash", "rebase"}}}
}

// Environment is a deployment environment.
type Environment struct {
	Name string
	// Branches is the deployment branch policy: "" lets every branch
	// deploy, "protected" the protected branches only, "custom" those
	// that Policies name.
	Branches  string
	Policies  []BranchPolicy
	Secrets   []string
	Variables map[string]string
}

// BranchPolicy is a custom deployment branch (or tag) name pattern.
type BranchPolicy struct {
	Name string
	Type string // "branch" (default) or "tag"
}

// Actions are the repository's GitHub Actions settings.
type Actions struct {
	Disabled bool
	Allowed  string // "all" (default), "local_only" or "selected"
	// With Allowed "selected": actions by GitHub, by verified creators,
	// and those matching the patterns ("owner/repo@*", "owner/*").
	GitHubOwned, Verified bool
	Patterns              []string
	// DefaultPermissions is GITHUB_TOKEN's default, "read" (default) or "write".
	DefaultPermissions     string
	CanApprovePullRequests bool
}

// config is the seeded settings; guarded by Server.mu.
type config struct {
	repo         RepoSettings
	rulesets     []*Ruleset
	envs         []*Environment
	repoSecrets  []string
	orgSecrets   []string
	actions      Actions
	protected    map[string]bool
	installToken string
	installRepos []string
	apps         []*App // apps.go
}

// cfg returns the settings, made on first use; s.mu must be held.
func (s *Server) cfg() *config {
	if s.config == nil {
		s.config = &config{protected: map[string]bool{}}
	}
	return s.config
}

// SetRepoSettings sets the repository's own settings.
func (s *Server) SetRepoSettings(r RepoSettings) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.Visibility == "" {
		r.Visibility = "private"
	}
	s.cfg().repo = r
}

// AddRuleset adds a ruleset and returns its id.
func (s *Server) AddRuleset(r Ruleset) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.Name == "" {
		s.t.Fatalf("githubtest: a ruleset needs a name")
	}
	r.ID = s.newID()
	s.cfg().rulesets = append(s.cfg().rulesets, &r)
	return r.ID
}

// AddEnvironment adds a deployment environment.
func (s *Server) AddEnvironment(e Environment) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.Branches != "" && e.Branches != "protected" && e.Branches != "custom" {
		s.t.Fatalf("githubtest: environment %q: Branches %q is not \"\", \"protected\" or \"custom\"", e.Name, e.Branches)
	}
	s.cfg().envs = append(s.cfg().envs, &e)
}

// SetRepoSecrets sets the names of the repository's own Actions secrets.
func (s *Server) SetRepoSecrets(names ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg().repoSecrets = names
}

// SetOrgSecrets sets the names of the organization's Actions secrets that
// are shared with the repository.
func (s *Server) SetOrgSecrets(names ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg().orgSecrets = names
}

// SetActions sets the repository's GitHub Actions settings.
func (s *Server) SetActions(a Actions) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg().actions = a
}

// ProtectBranches marks branches as protected, creating the missing ones.
func (s *Server) ProtectBranches(names ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range names {
		if _, ok := s.refs["heads/"+n]; !ok {
			s.refs["heads/"+n] = fakeSHA("branch " + n)
		}
		s.cfg().protected[n] = true
	}
}

// SetInstallation makes token an installation token of a GitHub App whose
// installation reaches repos ("owner/name"). GET /installation/repositories
// answers it, and only it: the repository token (RequireToken) gets a 403
// and fails the test, any other token a 401.
func (s *Server) SetInstallation(token string, repos ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg().installToken, s.cfg().installRepos = token, repos
}

// ownToken reports whether the request is one whose handler checks the
// token itself instead of RequireToken's: an installation's repositories.
func ownToken(r *http.Request) bool {
	return r.Method == http.MethodGet &&
		r.URL.EscapedPath() == strings.TrimSuffix(Prefix, "/")+"/installation/repositories"
}

// Denied answers 403 as GitHub does to a fine-grained token or an app
// installation without a permission the endpoint needs, with the
// X-Accepted-GitHub-Permissions header naming accepted (e.g.
// "administration=read").
func Denied(method, pattern, accepted string) Fault {
	h := http.Header{}
	if accepted != "" {
		h.Set("X-Accepted-GitHub-Permissions", accepted)
	}
	return Fault{Method: method, Path: pattern, Status: http.StatusForbidden, Header: h,
		Body: marshal(object{"message": "Resource not accessible by personal access token",
			"documentation_url": "https://docs.github.com/rest", "status": "403"})}
}

func init() {
	routes = append(routes,
		route{"GET", "/repos/" + Owner + "/" + Repo, "repos/get", nil, (*Server).getRepo},
		route{"GET", "rulesets", "repos/get-repo-rulesets", []string{"includes_parents", "targets", "per_page", "page"}, (*Server).listRulesets},
		route{"GET", "rulesets/{id}", "repos/get-repo-ruleset", []string{"includes_parents"}, (*Server).getRuleset},
		route{"GET", "environments/{name}", "repos/get-environment", nil, (*Server).getEnvironment},
		route{"GET", "environments/{name}/deployment-branch-policies", "repos/list-deployment-branch-policies", pageQuery, (*Server).listBranchPolicies},
		route{"GET", "environments/{name}/secrets", "actions/list-environment-secrets", pageQuery, (*Server).listEnvSecrets},
		route{"GET", "environments/{name}/variables", "actions/list-environment-variables", pageQuery, (*Server).listEnvVariables},
		route{"GET", "actions/secrets", "actions/list-repo-secrets", pageQuery, (*Server).listRepoSecrets},
		route{"GET", "actions/organization-secrets", "actions/list-repo-organization-secrets", pageQuery, (*Server).listOrgSecrets},
		route{"GET", "branches", "repos/list-branches", []string{"protected", "per_page", "page"}, (*Server).listBranches},
		route{"GET", "actions/permissions", "actions/get-github-actions-permissions-repository", nil, (*Server).getActionsPermissions},
		route{"GET", "actions/permissions/selected-actions", "actions/get-allowed-actions-repository", nil, (*Server).getSelectedActions},
		route{"GET", "actions/permissions/workflow", "actions/get-github-actions-default-workflow-permissions-repository", nil, (*Server).getWorkflowPermissions},
		route{"GET", "/installation/repositories", "apps/list-repos-accessible-to-installation", pageQuery, (*Server).listInstallationRepos},
	)
}

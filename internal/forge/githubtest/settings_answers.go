package githubtest

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The answers to the settings routes (settings.go), in the shapes of
// GitHub's REST reference: "Get a repository", "Get all repository
// rulesets", "Get a repository ruleset", "Get an environment", "List
// deployment branch policies", "List environment secrets", "List
// environment variables", "List repository secrets", "List repository
// organization secrets", "List branches", "Get GitHub Actions
// permissions for a repository", "Get allowed actions and reusable
// workflows for a repository", "Get default workflow permissions for a
// repository" and "List repositories accessible to the app installation".

func (s *Server) getRepo(c *call) {
	r := s.cfg().repo
	o := s.fullRepoJSON()
	vis := r.Visibility
	if vis == "" {
		vis = "private"
	}
	o["private"], o["visibility"] = vis != "public", vis
	o["permissions"] = object{"admin": true, "maintain": true, "push": true, "triage": true, "pull": true}
	if !r.HideMergeSettings {
		merge := r.AllowMergeCommit == nil || *r.AllowMergeCommit
		o["allow_merge_commit"], o["allow_squash_merge"], o["allow_rebase_merge"] = merge, true, true
		o["allow_auto_merge"], o["delete_branch_on_merge"] = false, false
	}
	writeJSON(c.w, http.StatusOK, o)
}

// rulesets returns the rulesets a request sees: without
// includes_parents=true, only the repository's own.
func (s *Server) rulesets(c *call) []*Ruleset {
	parents := c.r.URL.Query().Get("includes_parents") == "true"
	var out []*Ruleset
	for _, r := range s.cfg().rulesets {
		if parents || r.SourceType == "" || r.SourceType == "Repository" {
			out = append(out, r)
		}
	}
	return out
}

func (s *Server) listRulesets(c *call) {
	if v := c.r.URL.Query().Get("targets"); v != "" {
		s.t.Errorf("githubtest: filtering rulesets by targets=%q is not modelled", v)
	}
	var out []object
	for _, r := range paginate(s, c, s.rulesets(c)) {
		out = append(out, s.rulesetSummary(r))
	}
	writeJSON(c.w, http.StatusOK, orEmpty(out))
}

func (s *Server) getRuleset(c *call) {
	i := slices.IndexFunc(s.rulesets(c), func(r *Ruleset) bool { return r.ID == c.id })
	if i < 0 {
		fail(c, http.StatusNotFound, "Not Found")
		return
	}
	r := s.rulesets(c)[i]
	o := s.rulesetSummary(r)
	include := r.Include
	if include == nil {
		include = []string{"~DEFAULT_BRANCH"}
	}
	o["conditions"] = object{"ref_name": object{"include": include, "exclude": orEmptyStrings(r.Exclude)}}
	rules := []object{}
	for _, rule := range r.Rules {
		ro := object{"type": rule.Type}
		if rule.Parameters != nil {
			ro["parameters"] = rule.Parameters
		}
		rules = append(rules, ro)
	}
	o["rules"] = rules
	if !r.HideBypass {
		actors := []object{}
		for _, a := range r.BypassActors {
			mode := a.BypassMode
			if mode == "" {
				mode = "always"
			}
			actors = append(actors, object{"actor_id": a.ActorID, "actor_type": a.ActorType, "bypass_mode": mode})
		}
		o["bypass_actors"] = actors
	}
	o["current_user_can_bypass"] = "never"
	writeJSON(c.w, http.StatusOK, o)
}

func (s *Server) rulesetSummary(r *Ruleset) object {
	target, kind, enforcement := r.Target, r.SourceType, r.Enforcement
	if target == "" {
		target = "branch"
	}
	if kind == "" {
		kind = "Repository"
	}
	if enforcement == "" {
		enforcement = "active"
	}
	source := Owner + "/" + Repo
	if kind == "Organization" {
		source = Owner
	}
	return object{"id": r.ID, "name": r.Name, "target": target, "source_type": kind, "source": source,
		"enforcement": enforcement, "node_id": nodeID("RRS_", r.ID),
		"_links": object{"self": object{"href": s.api("rulesets/%d", r.ID)},
			"html": object{"href": s.html("rules/%d", r.ID)}},
		"created_at": stamp(s.now()), "updated_at": stamp(s.now())}
}

// environment returns the environment a route names, or answers 404.
func (s *Server) environment(c *call) *Environment {
	for _, e := range s.cfg().envs {
		if strings.EqualFold(e.Name, c.name) {
			return e
		}
	}
	fail(c, http.StatusNotFound, "Not Found")
	return nil
}

func (s *Server) getEnvironment(c *call) {
	e := s.environment(c)
	if e == nil {
		return
	}
	id := userID("environment " + e.Name)
	o := object{"id": id, "node_id": nodeID("EN_", id), "name": e.Name,
		"url":        s.api("environments/%s", url.PathEscape(e.Name)),
		"html_url":   s.html("deployments/activity_log?environments_filter=%s", url.QueryEscape(e.Name)),
		"created_at": stamp(s.now()), "updated_at": stamp(s.now()),
		"protection_rules": []object{}, "deployment_branch_policy": nil}
	if e.Branches != "" {
		o["deployment_branch_policy"] = object{"protected_branches": e.Branches == "protected",
			"custom_branch_policies": e.Branches == "custom"}
		o["protection_rules"] = []object{{"id": id + 1, "node_id": nodeID("GA_", id+1), "type": "branch_policy"}}
	}
	writeJSON(c.w, http.StatusOK, o)
}

func (s *Server) listBranchPolicies(c *call) {
	e := s.environment(c)
	if e == nil {
		return
	}
	if e.Branches != "custom" {
		// GitHub answers 404 when the environment has no custom policies.
		fail(c, http.StatusNotFound, "Not Found")
		return
	}
	out := []object{}
	for i, p := range paginate(s, c, e.Policies) {
		kind := p.Type
		if kind == "" {
			kind = "branch"
		}
		id := userID("policy "+p.Name) + int64(i)
		out = append(out, object{"id": id, "node_id": nodeID("GBP_", id), "name": p.Name, "type": kind})
	}
	writeJSON(c.w, http.StatusOK, object{"total_count": len(e.Policies), "branch_policies": out})
}

func (s *Server) listEnvSecrets(c *call) {
	e := s.environment(c)
	if e == nil {
		return
	}
	s.writeSecrets(c, e.Secrets)
}

func (s *Server) listRepoSecrets(c *call) { s.writeSecrets(c, s.cfg().repoSecrets) }

func (s *Server) listOrgSecrets(c *call) { s.writeSecrets(c, s.cfg().orgSecrets) }

// writeSecrets answers a page of a listing of Actions secrets, by name.
func (s *Server) writeSecrets(c *call, secrets []string) {
	names := slices.Sorted(slices.Values(secrets))
	out := []object{}
	for _, n := range paginate(s, c, names) {
		out = append(out, object{"name": n, "created_at": stamp(s.now()), "updated_at": stamp(s.now())})
	}
	writeJSON(c.w, http.StatusOK, object{"total_count": len(names), "secrets": out})
}

// maxVariablesPage is the most variables GitHub answers in one page.
const maxVariablesPage = 30

func (s *Server) listEnvVariables(c *call) {
	e := s.environment(c)
	if e == nil {
		return
	}
	names := make([]string, 0, len(e.Variables))
	for n := range e.Variables {
		names = append(names, n)
	}
	sort.Strings(names)
	out := []object{}
	for _, n := range paginate(s, atMost(c, maxVariablesPage), names) {
		out = append(out, object{"name": n, "value": e.Variables[n],
			"created_at": stamp(s.now()), "updated_at": stamp(s.now())})
	}
	writeJSON(c.w, http.StatusOK, object{"total_count": len(names), "variables": out})
}

// atMost returns c with per_page lowered to most, as GitHub does for the
// endpoints that page fewer than 100 at a time.
func atMost(c *call, most int) *call {
	q := c.r.URL.Query()
	if n, err := strconv.Atoi(q.Get("per_page")); err != nil || n <= most {
		return c
	}
	q.Set("per_page", strconv.Itoa(most))
	u := *c.r.URL
	u.RawQuery = q.Encode()
	r := c.r.Clone(c.r.Context())
	r.URL = &u
	cc := *c
	cc.r = r
	return &cc
}

// listBranches models only the protected branches (protected=true), which
// is what posture reads.
func (s *Server) listBranches(c *call) {
	if c.r.URL.Query().Get("protected") != "true" {
		s.unexpected(c.w, c.r, "no such route: only the protected branches (protected=true) are modelled")
		return
	}
	var names []string
	for n := range s.cfg().protected {
		names = append(names, n)
	}
	sort.Strings(names)
	out := []object{}
	for _, n := range paginate(s, c, names) {
		sha := s.refs["heads/"+n]
		out = append(out, object{"name": n, "protected": true,
			"commit": object{"sha": sha, "url": s.api("commits/%s", sha)}})
	}
	writeJSON(c.w, http.StatusOK, out)
}

func (s *Server) getActionsPermissions(c *call) {
	a := s.cfg().actions
	if a.Disabled {
		writeJSON(c.w, http.StatusOK, object{"enabled": false})
		return
	}
	allowed := a.Allowed
	if allowed == "" {
		allowed = "all"
	}
	o := object{"enabled": true, "allowed_actions": allowed, "sha_pinning_required": false}
	if allowed == "selected" {
		o["selected_actions_url"] = s.api("actions/permissions/selected-actions")
	}
	writeJSON(c.w, http.StatusOK, o)
}

func (s *Server) getSelectedActions(c *call) {
	a := s.cfg().actions
	if a.Disabled || a.Allowed != "selected" {
		s.t.Errorf("githubtest: selected actions asked for, but allowed_actions is not \"selected\"")
		fail(c, http.StatusConflict, "Conflict")
		return
	}
	writeJSON(c.w, http.StatusOK, object{"github_owned_allowed": a.GitHubOwned, "verified_allowed": a.Verified,
		"patterns_allowed": orEmptyStrings(a.Patterns)})
}

func (s *Server) getWorkflowPermissions(c *call) {
	a := s.cfg().actions
	perm := a.DefaultPermissions
	if perm == "" {
		perm = "read"
	}
	writeJSON(c.w, http.StatusOK, object{"default_workflow_permissions": perm,
		"can_approve_pull_request_reviews": a.CanApprovePullRequests})
}

func (s *Server) listInstallationRepos(c *call) {
	cfg, auth := s.cfg(), c.r.Header.Get("Authorization")
	switch {
	case s.token != "" && auth == "Bearer "+s.token:
		s.t.Errorf("githubtest: GET /installation/repositories with the repository's token: only an app's installation token lists an installation's repositories")
		fail(c, http.StatusForbidden, "Resource not accessible by personal access token")
		return
	case cfg.installToken == "" || auth != "Bearer "+cfg.installToken:
		fail(c, http.StatusUnauthorized, "Bad credentials")
		return
	}
	out := []object{}
	for _, full := range paginate(s, c, cfg.installRepos) {
		out = append(out, s.someRepoJSON(full))
	}
	writeJSON(c.w, http.StatusOK, object{"total_count": len(cfg.installRepos),
		"repository_selection": "selected", "repositories": out})
}

func orEmptyStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

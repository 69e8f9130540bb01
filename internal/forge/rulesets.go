package forge

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"

	"github.com/google/go-github/v60/github"
)

// Ruleset is a ruleset that applies to the repository, its own or one of
// its organization's, as GET /repos/{owner}/{repo}/rulesets/{id} shows it.
type Ruleset struct {
	ID          int64
	Name        string
	Target      string // "branch", "tag" or "push"
	SourceType  string // "Repository" or "Organization"
	Source      string // the repository's or the organization's name
	Enforcement string // "active", "evaluate" or "disabled"
	// BypassShown is false when GitHub left bypass_actors out of its
	// answer: it shows them only to a token that may edit the ruleset.
	BypassShown  bool
	BypassActors []github.BypassActor
	// Include and Exclude are the conditions.ref_name patterns: full ref
	// names with fnmatch wildcards, or ~DEFAULT_BRANCH and ~ALL.
	Include, Exclude []string
	Rules            []Rule
}

// Rule is one rule of a ruleset, its parameters kept as GitHub sent them:
// go-github v60 refuses a whole ruleset holding a rule type it does not
// know (merge_queue, file_path_restriction, code_scanning and others that
// GitHub added since), so the rules are decoded here, one by one.
type Rule struct {
	Type       string          `json:"type"`
	Parameters json.RawMessage `json:"parameters"`
}

// StatusChecks returns the checks of a required_status_checks rule.
func (r Rule) StatusChecks() []github.RuleRequiredStatusChecks {
	var p github.RequiredStatusChecksRuleParameters
	if r.Type != "required_status_checks" || json.Unmarshal(r.Parameters, &p) != nil {
		return nil
	}
	return p.RequiredStatusChecks
}

// PullRequest returns the parameters of a pull_request rule.
func (r Rule) PullRequest() (github.PullRequestRuleParameters, bool) {
	var p github.PullRequestRuleParameters
	if r.Type != "pull_request" || json.Unmarshal(r.Parameters, &p) != nil {
		return p, false
	}
	return p, true
}

// rulesetJSON is a ruleset as the REST API answers it.
type rulesetJSON struct {
	ID           int64                 `json:"id"`
	Name         string                `json:"name"`
	Target       string                `json:"target"`
	SourceType   string                `json:"source_type"`
	Source       string                `json:"source"`
	Enforcement  string                `json:"enforcement"`
	BypassActors *[]github.BypassActor `json:"bypass_actors"` // nil when left out
	Conditions   *struct {
		RefName *struct {
			Include []string `json:"include"`
			Exclude []string `json:"exclude"`
		} `json:"ref_name"`
	} `json:"conditions"`
	Rules []Rule `json:"rules"`
}

// Rulesets returns every branch ruleset that applies to the repository,
// including its organization's (includes_parents), each read in full. The
// list is paged, which go-github v60's GetAllRulesets does not do, and
// each ruleset is decoded by this package (see Rule).
func (c *Client) Rulesets(ctx context.Context) ([]Ruleset, error) {
	const verb, need = "list rulesets", "Metadata: read"
	base := fmt.Sprintf("repos/%s/%s/rulesets", url.PathEscape(c.owner), url.PathEscape(c.repo))
	list, err := collect(func(opts github.ListOptions) ([]rulesetJSON, *github.Response, error) {
		u := fmt.Sprintf("%s?includes_parents=true&per_page=%d", base, opts.PerPage)
		if opts.Page > 0 {
			u += fmt.Sprintf("&page=%d", opts.Page)
		}
		var page []rulesetJSON
		resp, err := c.get(ctx, u, &page)
		return page, resp, err
	})
	if err != nil {
		return nil, c.deny(verb, need, err)
	}
	var out []Ruleset
	for _, s := range list {
		if s.Target != "" && s.Target != "branch" {
			continue
		}
		var full rulesetJSON
		if _, err := c.get(ctx, fmt.Sprintf("%s/%d?includes_parents=true", base, s.ID), &full); err != nil {
			return nil, c.deny(fmt.Sprintf("get ruleset %d (%s)", s.ID, s.Name), need, err)
		}
		out = append(out, full.ruleset())
	}
	return out, nil
}

func (j rulesetJSON) ruleset() Ruleset {
	r := Ruleset{ID: j.ID, Name: j.Name, Target: j.Target, SourceType: j.SourceType, Source: j.Source,
		Enforcement: j.Enforcement, Rules: j.Rules}
	if j.BypassActors != nil {
		r.BypassShown, r.BypassActors = true, *j.BypassActors
	}
	if j.Conditions != nil && j.Conditions.RefName != nil {
		r.Include, r.Exclude = j.Conditions.RefName.Include, j.Conditions.RefName.Exclude
	}
	return r
}

// get sends GET u (relative to the API root) through go-github and decodes
// the answer into v.
func (c *Client) get(ctx context.Context, u string, v any) (*github.Response, error) {
	req, err := c.gh.NewRequest("GET", u, nil)
	if err != nil {
		return nil, err
	}
	return c.gh.Do(ctx, req, v)
}

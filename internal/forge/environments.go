package forge

import (
	"context"
	"fmt"
	"net/url"

	"github.com/google/go-github/v60/github"
)

// Environment returns the deployment environment name. A missing one is a
// *NotFoundError (errors.Is ErrNotFound).
func (c *Client) Environment(ctx context.Context, name string) (*github.Environment, error) {
	env, _, err := c.gh.Repositories.GetEnvironment(ctx, c.owner, c.repo, url.PathEscape(name))
	if err != nil {
		return nil, c.deny(fmt.Sprintf("get environment %q", name), "Actions: read", err)
	}
	return env, nil
}

// DeploymentBranchPolicies returns the branch and tag name patterns that
// may deploy to environment env, when it has custom ones
// (deployment_branch_policy.custom_branch_policies). Every page is read:
// go-github v60's ListDeploymentBranchPolicies reads only the first.
func (c *Client) DeploymentBranchPolicies(ctx context.Context, env string) ([]*github.DeploymentBranchPolicy, error) {
	base := fmt.Sprintf("repos/%s/%s/environments/%s/deployment-branch-policies",
		url.PathEscape(c.owner), url.PathEscape(c.repo), url.PathEscape(env))
	all, err := collect(func(opts github.ListOptions) ([]*github.DeploymentBranchPolicy, *github.Response, error) {
		var page github.DeploymentBranchPolicyResponse
		resp, err := c.get(ctx, pageURL(base, opts), &page)
		return page.BranchPolicies, resp, err
	})
	if err != nil {
		return nil, c.deny(fmt.Sprintf("list the deployment branch policies of environment %q", env), "Actions: read", err)
	}
	return all, nil
}

// EnvironmentSecrets returns the names of environment env's secrets (GitHub
// never shows their values).
//
// It asks GET /repos/{owner}/{repo}/environments/{env}/secrets, the path
// GitHub documents, with go-github's types; go-github v60's ListEnvSecrets
// still uses the older /repositories/{id}/... form.
func (c *Client) EnvironmentSecrets(ctx context.Context, env string) ([]string, error) {
	return c.secretNames(ctx, "environments/"+url.PathEscape(env)+"/secrets",
		fmt.Sprintf("list the secrets of environment %q", env), "Environments: read")
}

// EnvironmentVariables returns environment env's variables by name, with
// their values. GitHub pages them 30 at a time at most, whatever per_page
// asks; every page is read. (See EnvironmentSecrets for the path.)
func (c *Client) EnvironmentVariables(ctx context.Context, env string) (map[string]string, error) {
	base := fmt.Sprintf("repos/%s/%s/environments/%s/variables", url.PathEscape(c.owner), url.PathEscape(c.repo), url.PathEscape(env))
	all, err := collect(func(opts github.ListOptions) ([]*github.ActionsVariable, *github.Response, error) {
		var page github.ActionsVariables
		resp, err := c.get(ctx, pageURL(base, opts), &page)
		return page.Variables, resp, err
	})
	if err != nil {
		return nil, c.deny(fmt.Sprintf("list the variables of environment %q", env), "Environments: read", err)
	}
	vars := make(map[string]string, len(all))
	for _, v := range all {
		vars[v.Name] = v.Value
	}
	return vars, nil
}

// pageURL adds per_page and page to a path without a query.
func pageURL(base string, opts github.ListOptions) string {
	u := fmt.Sprintf("%s?per_page=%d", base, opts.PerPage)
	if opts.Page > 0 {
		u += fmt.Sprintf("&page=%d", opts.Page)
	}
	return u
}

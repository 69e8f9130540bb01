package forge

import (
	"context"
	"fmt"
	"net/url"

	"github.com/google/go-github/v60/github"
)

// RepositorySecrets returns the names of the repository's own Actions
// secrets (GET /repos/{owner}/{repo}/actions/secrets). A job reads one of
// them as secrets.NAME from any branch, with or without an environment,
// unless its environment has a secret of the same name.
func (c *Client) RepositorySecrets(ctx context.Context) ([]string, error) {
	return c.secretNames(ctx, "actions/secrets", "list the repository's secrets", "Secrets: read")
}

// OrganizationSecrets returns the names of the organization's Actions
// secrets shared with the repository (GET
// /repos/{owner}/{repo}/actions/organization-secrets). A job reads one of
// them as secrets.NAME unless its environment or the repository has a
// secret of the same name.
func (c *Client) OrganizationSecrets(ctx context.Context) ([]string, error) {
	return c.secretNames(ctx, "actions/organization-secrets", "list the organization secrets shared with the repository", "Secrets: read")
}

// secretNames reads every page of a listing of Actions secrets under the
// repository's path rest; verb and permission say, when GitHub refuses,
// what was asked and the fine-grained permission it needs.
func (c *Client) secretNames(ctx context.Context, rest, verb, permission string) ([]string, error) {
	base := fmt.Sprintf("repos/%s/%s/%s", url.PathEscape(c.owner), url.PathEscape(c.repo), rest)
	all, err := collect(func(opts github.ListOptions) ([]*github.Secret, *github.Response, error) {
		var page github.Secrets
		resp, err := c.get(ctx, pageURL(base, opts), &page)
		return page.Secrets, resp, err
	})
	if err != nil {
		return nil, c.deny(verb, permission, err)
	}
	names := make([]string, 0, len(all))
	for _, s := range all {
		names = append(names, s.Name)
	}
	return names, nil
}

package forge

import (
	"context"
	"errors"

	"github.com/google/go-github/v60/github"
)

// Repository returns the repository, with its visibility, default branch
// and, for a token that may see them, its merge settings.
func (c *Client) Repository(ctx context.Context) (*github.Repository, error) {
	r, _, err := c.gh.Repositories.Get(ctx, c.owner, c.repo)
	if err != nil {
		return nil, c.deny("get the repository", "Metadata: read", err)
	}
	return r, nil
}

// LabelNames returns the names of every label of the repository.
func (c *Client) LabelNames(ctx context.Context) ([]string, error) {
	all, err := collect(func(opts github.ListOptions) ([]*github.Label, *github.Response, error) {
		return c.gh.Issues.ListLabels(ctx, c.owner, c.repo, &opts)
	})
	if err != nil {
		return nil, c.deny("list labels", "Issues: read", err)
	}
	names := make([]string, 0, len(all))
	for _, l := range all {
		names = append(names, l.GetName())
	}
	return names, nil
}

// ProtectedBranches returns the names of the branches GitHub counts as
// protected (GET /branches?protected=true).
func (c *Client) ProtectedBranches(ctx context.Context) ([]string, error) {
	all, err := collect(func(opts github.ListOptions) ([]*github.Branch, *github.Response, error) {
		return c.gh.Repositories.ListBranches(ctx, c.owner, c.repo,
			&github.BranchListOptions{Protected: github.Bool(true), ListOptions: opts})
	})
	if err != nil {
		return nil, c.deny("list protected branches", "Metadata: read", err)
	}
	names := make([]string, 0, len(all))
	for _, b := range all {
		names = append(names, b.GetName())
	}
	return names, nil
}

// ActionsPermissions returns whether GitHub Actions is enabled for the
// repository and which actions it allows ("all", "local_only" or "selected").
func (c *Client) ActionsPermissions(ctx context.Context) (*github.ActionsPermissionsRepository, error) {
	p, _, err := c.gh.Repositories.GetActionsPermissions(ctx, c.owner, c.repo)
	if err != nil {
		return nil, c.deny("get the actions permissions", "Administration: read", err)
	}
	return p, nil
}

// SelectedActions returns the actions allowed when ActionsPermissions says
// "selected".
func (c *Client) SelectedActions(ctx context.Context) (*github.ActionsAllowed, error) {
	a, _, err := c.gh.Repositories.GetActionsAllowed(ctx, c.owner, c.repo)
	if err != nil {
		return nil, c.deny("get the allowed actions", "Administration: read", err)
	}
	return a, nil
}

// WorkflowPermissions returns what GITHUB_TOKEN may do by default, and
// whether GitHub Actions may create and approve pull requests.
func (c *Client) WorkflowPermissions(ctx context.Context) (*github.DefaultWorkflowPermissionRepository, error) {
	p, _, err := c.gh.Repositories.GetDefaultWorkflowPermissions(ctx, c.owner, c.repo)
	if err != nil {
		return nil, c.deny("get the default workflow permissions", "Administration: read", err)
	}
	return p, nil
}

// InstallationRepositories returns the full names ("owner/name") of the
// repositories the client's token reaches, which must be an installation
// token of a GitHub App (GET /installation/repositories). It does not
// tell which app the installation belongs to.
func (c *Client) InstallationRepositories(ctx context.Context) ([]string, error) {
	all, err := collect(func(opts github.ListOptions) ([]*github.Repository, *github.Response, error) {
		list, resp, err := c.gh.Apps.ListRepos(ctx, &opts)
		if list == nil {
			return nil, resp, err
		}
		return list.Repositories, resp, err
	})
	if err != nil {
		return nil, c.deny("list the installation's repositories", "an installation token of the GitHub App", err)
	}
	names := make([]string, 0, len(all))
	for _, r := range all {
		names = append(names, r.GetFullName())
	}
	return names, nil
}

// Part is one part of a repository's settings as read from GitHub: its
// value, or why it could not be read.
type Part[T any] struct {
	Value T
	// Err is a *DeniedError when the token may not read this part, or a
	// *NotFoundError when GitHub answered 404; nil when it was read, or
	// when it was not needed (see ReadSettings).
	Err error
}

// Settings is what posture doctor reads of a repository's configuration.
type Settings struct {
	Repository *github.Repository
	Rulesets   Part[[]Ruleset]
	// Environment is the deployment environment asked for; a missing
	// one has a *NotFoundError.
	Environment Part[*github.Environment]
	// BranchPolicies are read when the environment has custom deployment
	// branch policies, ProtectedBranches when it deploys from protected
	// branches, Secrets and Variables when it exists.
	BranchPolicies    Part[[]*github.DeploymentBranchPolicy]
	ProtectedBranches Part[[]string]
	Secrets           Part[[]string]
	Variables         Part[map[string]string]
	// RepoSecrets and OrgSecrets are the names of the repository's own
	// Actions secrets and of the organization secrets shared with it,
	// read whether or not the environment exists: GitHub gives a job
	// either when its environment has no secret of that name, and a job
	// without an environment always.
	RepoSecrets Part[[]string]
	OrgSecrets  Part[[]string]
	Labels      Part[[]string]
	Actions     Part[*github.ActionsPermissionsRepository]
	// SelectedActions is read when Actions allows "selected" actions.
	SelectedActions Part[*github.ActionsAllowed]
	Workflow        Part[*github.DefaultWorkflowPermissionRepository]
	// App is the GitHub App SettingsRequest.AppSlug names, read only
	// when it names one; an app GitHub does not show has a *NotFoundError.
	App Part[*App]
	// Installation is what the installation client's token reaches, nil
	// when ReadSettings was given no installation client.
	Installation *Part[[]string]
}

// SettingsRequest is what ReadSettings reads besides the repository's own
// settings.
type SettingsRequest struct {
	// Environment is the deployment environment to read.
	Environment string
	// AppSlug, if not empty, is the GitHub App to read (GET /apps/{app_slug}).
	AppSlug string
	// Installation, if not nil, is a client with the installation token of
	// the GitHub App whose installation is to be checked.
	Installation *Client
}

// ReadSettings reads the repository's settings, and what req asks for.
// A part the token may not read, or that GitHub answers 404 to, is kept
// in its Part's Err; any other failure, and a repository that cannot be
// read at all, ends the call with an error.
func (c *Client) ReadSettings(ctx context.Context, req SettingsRequest) (*Settings, error) {
	env := req.Environment
	repo, err := c.Repository(ctx)
	if err != nil {
		return nil, err
	}
	s := &Settings{Repository: repo}
	if s.Rulesets, err = part(c.Rulesets(ctx)); err != nil {
		return nil, err
	}
	if s.Environment, err = part(c.Environment(ctx, env)); err != nil {
		return nil, err
	}
	if e := s.Environment.Value; e != nil {
		policy := e.GetDeploymentBranchPolicy()
		switch {
		case policy.GetCustomBranchPolicies():
			s.BranchPolicies, err = part(c.DeploymentBranchPolicies(ctx, env))
		case policy.GetProtectedBranches():
			s.ProtectedBranches, err = part(c.ProtectedBranches(ctx))
		}
		if err != nil {
			return nil, err
		}
		if s.Secrets, err = part(c.EnvironmentSecrets(ctx, env)); err != nil {
			return nil, err
		}
		if s.Variables, err = part(c.EnvironmentVariables(ctx, env)); err != nil {
			return nil, err
		}
	}
	if s.RepoSecrets, err = part(c.RepositorySecrets(ctx)); err != nil {
		return nil, err
	}
	if s.OrgSecrets, err = part(c.OrganizationSecrets(ctx)); err != nil {
		return nil, err
	}
	if s.Labels, err = part(c.LabelNames(ctx)); err != nil {
		return nil, err
	}
	if s.Actions, err = part(c.ActionsPermissions(ctx)); err != nil {
		return nil, err
	}
	if s.Actions.Value.GetEnabled() && s.Actions.Value.GetAllowedActions() == "selected" {
		if s.SelectedActions, err = part(c.SelectedActions(ctx)); err != nil {
			return nil, err
		}
	}
	if s.Workflow, err = part(c.WorkflowPermissions(ctx)); err != nil {
		return nil, err
	}
	if req.AppSlug != "" {
		if s.App, err = part(c.App(ctx, req.AppSlug)); err != nil {
			return nil, err
		}
	}
	if req.Installation != nil {
		p, err := part(req.Installation.InstallationRepositories(ctx))
		if err != nil {
			return nil, err
		}
		s.Installation = &p
	}
	return s, nil
}

// part keeps a refusal or a 404 as the part's Err and passes any other
// error on.
func part[T any](v T, err error) (Part[T], error) {
	if err == nil {
		return Part[T]{Value: v}, nil
	}
	if errors.Is(err, ErrForbidden) || errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrNotFound) {
		return Part[T]{Err: err}, nil
	}
	return Part[T]{}, err
}

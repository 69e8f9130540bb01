package cli

import (
	"fmt"
	"strings"

	"github.com/posture-dev/posture/internal/forge"
)

// GitHubOptions are the flags every command that talks to GitHub shares.
type GitHubOptions struct {
	// Repo is OWNER/NAME; default $GITHUB_REPOSITORY.
	Repo string
	// APIURL is the REST API root; default $GITHUB_API_URL or api.github.com.
	APIURL string
}

// The kinds of token $POSTURE_TOKEN_KIND names, which the workflows set
// beside $GITHUB_TOKEN. posture cannot tell them apart by the token: both
// are installation tokens (ghs_...).
const (
	// TokenApp is an installation token of the posture GitHub App, minted
	// in a job of the posture environment: what the ruleset requires the
	// statuses from.
	TokenApp = "app"
	// TokenActions is the workflow's own GITHUB_TOKEN, of the GitHub Actions
	// app that every workflow of the repository can use: evaluation only.
	TokenActions = "actions"
)

// actionsTokenSuffix ends every status description set with the GitHub
// Actions token, so that no one takes it for the app's.
const actionsTokenSuffix = " (GitHub Actions token: evaluation only)"

// tokenKind reads $POSTURE_TOKEN_KIND: app, actions, or empty when a person
// runs posture with a token of their own.
func tokenKind(getenv func(string) string) (string, error) {
	switch k := getenv("POSTURE_TOKEN_KIND"); k {
	case "", TokenApp, TokenActions:
		return k, nil
	default:
		return "", usagef("set $POSTURE_TOKEN_KIND to %q (the posture app's installation token) or %q (the workflow's GITHUB_TOKEN), or leave it empty; got %q", TokenApp, TokenActions, k)
	}
}

// GitHub returns a client for the repository, with the token from
// $GITHUB_TOKEN (or $GH_TOKEN). $POSTURE_TOKEN_KIND, when set, must name
// the kind of that token (see tokenKind).
func (f *Factory) GitHub(o GitHubOptions) (*forge.Client, error) {
	if _, err := tokenKind(f.Getenv); err != nil {
		return nil, err
	}
	repo := o.Repo
	if repo == "" {
		repo = f.Getenv("GITHUB_REPOSITORY")
	}
	owner, name, ok := strings.Cut(repo, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return nil, usagef("name the repository as OWNER/NAME with --repo or $GITHUB_REPOSITORY (got %q)", repo)
	}
	base := o.APIURL
	if base == "" {
		base = f.Getenv("GITHUB_API_URL")
	}
	if base == "" {
		base = forge.DefaultBaseURL
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	token := f.Getenv("GITHUB_TOKEN")
	if token == "" {
		token = f.Getenv("GH_TOKEN")
	}
	if token == "" {
		return nil, usagef("set $GITHUB_TOKEN to a token that can read and write the repository's pull requests and issues: in a workflow, the posture app's installation token (docs/admin.md)")
	}
	fo := forge.Options{HTTPClient: f.HTTPClient, BaseURL: base, Token: token, Owner: owner, Repo: name, Log: f.IO.ErrOut}
	if f.TuneGitHub != nil {
		f.TuneGitHub(&fo)
	}
	c, err := forge.New(fo)
	if err != nil {
		return nil, fmt.Errorf("set up the GitHub client: %w", err)
	}
	return c, nil
}

// actAs tells c the login its token acts as (statusAuthor of the token's
// kind and the base's bot_login), so that only posture's own marked
// comments count as posture's (forge.Client.SetSelf).
func actAs(c *forge.Client, getenv func(string) string, botLogin string) {
	kind, _ := tokenKind(getenv) // Factory.GitHub refused a kind it does not know
	c.SetSelf(statusAuthor(kind, botLogin))
}

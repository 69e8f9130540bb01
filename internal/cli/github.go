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

// GitHub returns a client for the repository, with the token from
// $GITHUB_TOKEN (or $GH_TOKEN).
func (f *Factory) GitHub(o GitHubOptions) (*forge.Client, error) {
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
		return nil, usagef("set $GITHUB_TOKEN to a token that can read and write the repository's pull requests and issues")
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

package forge

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/go-github/v60/github"
)

// GetRef returns the reference ref, written "heads/<branch>" or
// "refs/heads/<branch>". A missing one is a *NotFoundError.
func (c *Client) GetRef(ctx context.Context, ref string) (*github.Reference, error) {
	r, _, err := c.gh.Git.GetRef(ctx, c.owner, c.repo, ref)
	if err != nil {
		return nil, c.wrap(fmt.Sprintf("get ref %s", ref), err)
	}
	return r, nil
}

// CreateRef creates reference ref ("heads/<branch>") pointing at sha. It is
// never repeated after a 5xx or a timeout: on *UncertainError, GetRef
// tells whether it exists.
func (c *Client) CreateRef(ctx context.Context, ref, sha string) (*github.Reference, error) {
	r, _, err := c.gh.Git.CreateRef(ctx, c.owner, c.repo, &github.Reference{
		Ref: &ref, Object: &github.GitObject{SHA: &sha},
	})
	if err != nil {
		return nil, c.wrap(fmt.Sprintf("create ref %s at %.12s", ref, sha), err)
	}
	return r, nil
}

// CreateOrUpdateFile commits content to path on branch with message,
// creating the file or replacing what is there, and returns the new
// commit's SHA. Writing the same content again makes no commit and
// returns "". The write is not repeated after a 5xx or a timeout; the file
// is read back instead, and if it holds content the branch head is
// returned.
func (c *Client) CreateOrUpdateFile(ctx context.Context, branch, path, message string, content []byte) (string, error) {
	verb := fmt.Sprintf("write %s on %s", path, branch)
	opts := &github.RepositoryContentFileOptions{Message: &message, Content: content, Branch: &branch}
	cur, _, _, err := c.gh.Repositories.GetContents(ctx, c.owner, c.repo, path,
		&github.RepositoryContentGetOptions{Ref: branch})
	switch {
	case err == nil && cur != nil:
		old, derr := cur.GetContent()
		if derr == nil && old == string(content) {
			return "", nil
		}
		opts.SHA = cur.SHA
	case err == nil:
		return "", fmt.Errorf("%s: %s is a directory", verb, path)
	case statusOf(err) != http.StatusNotFound:
		return "", c.wrap(verb, err)
	}
	res, _, err := c.gh.Repositories.CreateFile(once(ctx), c.owner, c.repo, escapePath(path), opts)
	var unsure *UncertainError
	if errors.As(err, &unsure) {
		if head, ok := c.fileHolds(ctx, branch, path, content); ok {
			return head, nil
		}
	}
	if err != nil {
		return "", c.wrap(verb, err)
	}
	return res.Commit.GetSHA(), nil
}

// fileHolds reports whether path on branch now holds content, and if so
// the branch's head: after a write whose answer was lost, whether it was made.
func (c *Client) fileHolds(ctx context.Context, branch, path string, content []byte) (string, bool) {
	f, _, _, err := c.gh.Repositories.GetContents(ctx, c.owner, c.repo, path,
		&github.RepositoryContentGetOptions{Ref: branch})
	if err != nil || f == nil {
		return "", false
	}
	if got, err := f.GetContent(); err != nil || got != string(content) {
		return "", false
	}
	ref, err := c.GetRef(ctx, "heads/"+branch)
	if err != nil {
		return "", false
	}
	return ref.GetObject().GetSHA(), true
}

// escapePath escapes each segment of a file path for the contents API,
// which go-github does not do when writing.
func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

// CreatePullRequest opens a pull request from branch head into base.
func (c *Client) CreatePullRequest(ctx context.Context, title, head, base, body string) (*github.PullRequest, error) {
	pr, _, err := c.gh.PullRequests.Create(ctx, c.owner, c.repo, &github.NewPullRequest{
		Title: &title, Head: &head, Base: &base, Body: &body,
	})
	if err != nil {
		return nil, c.wrap(fmt.Sprintf("open pull request from %s", head), err)
	}
	return pr, nil
}

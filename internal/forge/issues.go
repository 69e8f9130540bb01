package forge

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/go-github/v60/github"
)

// ListIssues returns the repository's issues in state ("open", "closed" or
// "all") that carry every one of labels, newest first. GitHub lists pull
// requests as issues too; they are left out.
func (c *Client) ListIssues(ctx context.Context, labels []string, state string) ([]*github.Issue, error) {
	opts := github.IssueListByRepoOptions{State: state, Labels: labels}
	all, err := collect(func(o github.ListOptions) ([]*github.Issue, *github.Response, error) {
		opts.ListOptions = o
		return c.gh.Issues.ListByRepo(ctx, c.owner, c.repo, &opts)
	})
	if err != nil {
		verb := fmt.Sprintf("list %s issues", state)
		if len(labels) > 0 {
			verb += " labelled " + strings.Join(labels, ",")
		}
		return nil, c.wrap(verb, err)
	}
	issues := all[:0]
	for _, is := range all {
		if !is.IsPullRequest() {
			issues = append(issues, is)
		}
	}
	return issues, nil
}

// Issue returns issue n (a pull request's issue side, if n is one).
func (c *Client) Issue(ctx context.Context, n int) (*github.Issue, error) {
	is, _, err := c.gh.Issues.Get(ctx, c.owner, c.repo, n)
	if err != nil {
		return nil, c.wrap(fmt.Sprintf("get issue #%d", n), err)
	}
	return is, nil
}

// CreateIssue opens an issue. It is never repeated after a 5xx or a
// timeout: on *UncertainError, list the issues and look for it.
func (c *Client) CreateIssue(ctx context.Context, title, body string, assignees, labels []string) (*github.Issue, error) {
	req := &github.IssueRequest{Title: &title, Body: &body}
	if len(assignees) > 0 {
		req.Assignees = &assignees
	}
	if len(labels) > 0 {
		req.Labels = &labels
	}
	is, _, err := c.gh.Issues.Create(ctx, c.owner, c.repo, req)
	if err != nil {
		return nil, c.wrap(fmt.Sprintf("create issue %q", title), err)
	}
	return is, nil
}

// EditIssue changes the fields of issue n that req sets (title, body,
// state, labels, assignees).
func (c *Client) EditIssue(ctx context.Context, n int, req *github.IssueRequest) (*github.Issue, error) {
	is, _, err := c.gh.Issues.Edit(ctx, c.owner, c.repo, n, req)
	if err != nil {
		return nil, c.wrap(fmt.Sprintf("edit issue #%d", n), err)
	}
	return is, nil
}

// Comments returns every comment on issue or pull request n, oldest first.
func (c *Client) Comments(ctx context.Context, n int) ([]*github.IssueComment, error) {
	comments, err := collect(func(o github.ListOptions) ([]*github.IssueComment, *github.Response, error) {
		return c.gh.Issues.ListComments(ctx, c.owner, c.repo, n, &github.IssueListCommentsOptions{ListOptions: o})
	})
	if err != nil {
		return nil, c.wrap(fmt.Sprintf("list comments on #%d", n), err)
	}
	return comments, nil
}

// CreateComment adds a comment to issue or pull request n. It is never
// repeated after a 5xx or a timeout (*UncertainError): see UpsertComment.
func (c *Client) CreateComment(ctx context.Context, n int, body string) (*github.IssueComment, error) {
	cm, _, err := c.gh.Issues.CreateComment(ctx, c.owner, c.repo, n, &github.IssueComment{Body: &body})
	if err != nil {
		return nil, c.wrap(fmt.Sprintf("comment on #%d", n), err)
	}
	return cm, nil
}

// FindComment returns the first comment on n whose body contains marker,
// a hidden HTML comment such as "<!-- posture:route -->", or nil. Once
// SetSelf has named the client's login, only comments by that login count.
func (c *Client) FindComment(ctx context.Context, n int, marker string) (*github.IssueComment, error) {
	comments, err := c.Comments(ctx, n)
	if err != nil {
		return nil, err
	}
	for _, cm := range comments {
		if c.self != "" && !SameBot(cm.GetUser().GetLogin(), c.self) {
			continue
		}
		if strings.Contains(cm.GetBody(), marker) {
			return cm, nil
		}
	}
	return nil, nil
}

// UpsertComment keeps one comment on n, the one marked with marker, saying
// body: it edits the comment in place (and leaves it alone when it already
// says body), and creates it only when there is none. marker is put at the
// top of body if body lacks it, so the next run finds the comment.
//
// When creating gets no certain answer (*UncertainError), the comments are
// listed again and the one GitHub made, if any, is returned; if none is
// there, creating is tried once more.
func (c *Client) UpsertComment(ctx context.Context, n int, marker, body string) (*github.IssueComment, error) {
	if !strings.Contains(body, marker) {
		body = marker + "\n" + body
	}
	verb := fmt.Sprintf("update the %s comment on #%d", marker, n)
	cm, err := c.FindComment(ctx, n, marker)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", verb, err)
	}
	if cm != nil {
		if cm.GetBody() == body {
			return cm, nil
		}
		edited, _, err := c.gh.Issues.EditComment(ctx, c.owner, c.repo, cm.GetID(), &github.IssueComment{Body: &body})
		if err != nil {
			return nil, c.wrap(verb, err)
		}
		return edited, nil
	}
	for try := 0; ; try++ {
		created, err := c.CreateComment(ctx, n, body)
		var unsure *UncertainError
		if err == nil || !errors.As(err, &unsure) || try == 1 {
			if err != nil {
				return nil, fmt.Errorf("%s: %w", verb, err)
			}
			return created, nil
		}
		fmt.Fprintf(c.cfg.log, "forge: %v; looking for the comment before trying again\n", err)
		found, ferr := c.FindComment(ctx, n, marker)
		if ferr != nil {
			return nil, fmt.Errorf("%s: %w (after %w)", verb, ferr, err)
		}
		if found != nil {
			return found, nil
		}
	}
}

package forge

import (
	"context"
	"fmt"
	"net/http"

	"github.com/google/go-github/v60/github"
)

// PullRequest returns pull request n.
func (c *Client) PullRequest(ctx context.Context, n int) (*github.PullRequest, error) {
	pr, _, err := c.gh.PullRequests.Get(ctx, c.owner, c.repo, n)
	if err != nil {
		return nil, c.wrap(fmt.Sprintf("get pull request #%d", n), err)
	}
	return pr, nil
}

// PullFiles returns every file pull request n changes.
func (c *Client) PullFiles(ctx context.Context, n int) ([]*github.CommitFile, error) {
	files, err := collect(func(o github.ListOptions) ([]*github.CommitFile, *github.Response, error) {
		return c.gh.PullRequests.ListFiles(ctx, c.owner, c.repo, n, &o)
	})
	if err != nil {
		return nil, c.wrap(fmt.Sprintf("list files of #%d", n), err)
	}
	return files, nil
}

// MaxPullCommits is the most commits GitHub lists for one pull request
// (GET /repos/{owner}/{repo}/pulls/{pull_number}/commits); of a pull
// request with more, PullCommits returns only that many.
const MaxPullCommits = 250

// PullCommits returns the commits pull request n adds, in the order GitHub
// lists them (oldest first), at most MaxPullCommits of them. Each names
// its author and committer as the commit has them (Commit.Author,
// Commit.Committer) and the GitHub accounts GitHub matched their emails to
// (Author, Committer), nil or without a login when no account has the
// email.
func (c *Client) PullCommits(ctx context.Context, n int) ([]*github.RepositoryCommit, error) {
	commits, err := collect(func(o github.ListOptions) ([]*github.RepositoryCommit, *github.Response, error) {
		return c.gh.PullRequests.ListCommits(ctx, c.owner, c.repo, n, &o)
	})
	if err != nil {
		return nil, c.wrap(fmt.Sprintf("list commits of #%d", n), err)
	}
	return commits, nil
}

// Reviews returns every review of pull request n, oldest first.
func (c *Client) Reviews(ctx context.Context, n int) ([]*github.PullRequestReview, error) {
	reviews, err := collect(func(o github.ListOptions) ([]*github.PullRequestReview, *github.Response, error) {
		return c.gh.PullRequests.ListReviews(ctx, c.owner, c.repo, n, &o)
	})
	if err != nil {
		return nil, c.wrap(fmt.Sprintf("list reviews of #%d", n), err)
	}
	return reviews, nil
}

// RequestedReviewers returns the logins of the users whose review of pull
// request n is requested and not yet given, and the slugs of the teams.
// GitHub answers them all at once: the operation takes no per_page or page.
func (c *Client) RequestedReviewers(ctx context.Context, n int) (users, teams []string, err error) {
	r, _, err := c.gh.PullRequests.ListReviewers(ctx, c.owner, c.repo, n, nil)
	if err != nil {
		return nil, nil, c.wrap(fmt.Sprintf("list requested reviewers of #%d", n), err)
	}
	for _, u := range r.Users {
		users = append(users, u.GetLogin())
	}
	for _, t := range r.Teams {
		teams = append(teams, t.GetSlug())
	}
	return users, teams, nil
}

// ReviewRequest is what RequestReviewers achieved.
type ReviewRequest struct {
	Requested []string  // logins whose review is now requested
	Refused   []Refusal // logins GitHub would not request, with its reason
}

// Refusal is one reviewer GitHub refused to request.
type Refusal struct {
	Login  string
	Reason string // GitHub's message, e.g. "Review cannot be requested from pull request author."
}

// RequestReviewers asks the users in logins to review pull request n.
// GitHub refuses a whole request with 422 when one login cannot be asked
// (the pull request's author, someone without access, one already
// requested): then each login is asked on its own and the refusals are
// returned in the result, not as an error.
func (c *Client) RequestReviewers(ctx context.Context, n int, logins []string) (ReviewRequest, error) {
	var res ReviewRequest
	if len(logins) == 0 {
		return res, nil
	}
	ctx = repeatable(ctx)
	verb := fmt.Sprintf("request reviewers on #%d", n)
	_, _, err := c.gh.PullRequests.RequestReviewers(ctx, c.owner, c.repo, n, github.ReviewersRequest{Reviewers: logins})
	if err == nil {
		res.Requested = append(res.Requested, logins...)
		return res, nil
	}
	if statusOf(err) != http.StatusUnprocessableEntity {
		return res, c.wrap(verb, err)
	}
	if len(logins) == 1 {
		res.Refused = append(res.Refused, Refusal{Login: logins[0], Reason: messageOf(err)})
		return res, nil
	}
	for _, login := range logins {
		_, _, err := c.gh.PullRequests.RequestReviewers(ctx, c.owner, c.repo, n, github.ReviewersRequest{Reviewers: []string{login}})
		switch {
		case err == nil:
			res.Requested = append(res.Requested, login)
		case statusOf(err) == http.StatusUnprocessableEntity:
			res.Refused = append(res.Refused, Refusal{Login: login, Reason: messageOf(err)})
		default:
			return res, c.wrap(verb, err)
		}
	}
	return res, nil
}

// Merge merges pull request n if its head is still sha, with method
// ("merge", "squash" or "rebase"), the commit title and message (where
// posture puts its evidence trailers). It returns the merge commit's SHA.
// GitHub's refusals come back as *MergeError: 409 when the head moved,
// 405 when the pull request is not mergeable, with Merged set when it is
// merged already.
func (c *Client) Merge(ctx context.Context, n int, sha, method, title, message string) (string, error) {
	verb := fmt.Sprintf("merge #%d", n)
	res, _, err := c.gh.PullRequests.Merge(ctx, c.owner, c.repo, n, message,
		&github.PullRequestOptions{CommitTitle: title, SHA: sha, MergeMethod: method})
	switch status := statusOf(err); {
	case err == nil:
		return res.GetSHA(), nil
	case status == http.StatusConflict:
		return "", fmt.Errorf("%s: %w", verb, &MergeError{Number: n, Status: status, Message: messageOf(err)})
	case status == http.StatusMethodNotAllowed:
		me := &MergeError{Number: n, Status: status, Message: messageOf(err)}
		if pr, perr := c.PullRequest(ctx, n); perr == nil && pr.GetMerged() {
			me.Merged = true
		}
		return "", fmt.Errorf("%s: %w", verb, me)
	}
	return "", c.wrap(verb, err)
}

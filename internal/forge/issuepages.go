package forge

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/go-github/v60/github"
)

// IssueQuery selects issues to list with IssuePages or count with
// CountIssues.
type IssueQuery struct {
	Labels []string // every one of them
	State  string   // "open", "closed" or "all"
	// Assignee is a login, "none" for issues assigned to no one, "*" for
	// issues assigned to anyone, or empty for no filter.
	Assignee string
	// Ascending lists the oldest first; newest first otherwise.
	Ascending bool
}

func (q IssueQuery) String() string {
	s := q.State + " issues"
	if len(q.Labels) > 0 {
		s += " labelled " + strings.Join(q.Labels, ",")
	}
	switch q.Assignee {
	case "":
	case "none":
		s += " assigned to no one"
	default:
		s += " assigned to " + q.Assignee
	}
	return s
}

// IssueListing is a listing of issues and what its pages said about
// whether they are all there is.
type IssueListing struct {
	Issues []*github.Issue // pull requests left out
	Items  int             // what the pages held, pull requests included
	// Doubt, when not empty, says why the pages may not be all there is:
	// a full page with no link to a next one while no page said which page
	// is the last, a chain of pages that ends before the last page named,
	// or a page short of full that links to another.
	Doubt string
}

// pageSize is what IssuePages asks for, GitHub's largest.
const pageSize = 100

// IssuePages lists the issues q selects, 100 a page, following GitHub's
// Link header, and says in Doubt when the chain of pages gives reason to
// think it lost some. GitHub lists pull requests as issues too; they are
// counted in Items and left out of Issues.
func (c *Client) IssuePages(ctx context.Context, q IssueQuery) (*IssueListing, error) {
	l := &IssueListing{}
	last := 0 // the last page, once a page's Link names it
	for page := 1; ; {
		items, resp, err := c.issuePage(ctx, q, page, pageSize)
		if err != nil {
			return nil, c.wrap("list "+q.String(), err)
		}
		l.Items += len(items)
		for _, is := range items {
			if !is.IsPullRequest() {
				l.Issues = append(l.Issues, is)
			}
		}
		last = max(last, resp.LastPage)
		if next := resp.NextPage; next > page {
			if len(items) < pageSize && l.Doubt == "" {
				l.Doubt = fmt.Sprintf("page %d holds %d issues, not %d, yet links to a next page", page, len(items), pageSize)
			}
			page = next
			continue
		} else if next != 0 {
			l.Doubt = fmt.Sprintf("page %d links back to page %d as the next", page, next)
		}
		switch {
		case last > page:
			l.Doubt = fmt.Sprintf("page %d of %d links to no next page", page, last)
		case last == 0 && len(items) == pageSize:
			l.Doubt = fmt.Sprintf("page %d is full (%d issues) with no link to a next page, and no page said which is the last", page, pageSize)
		}
		return l, nil
	}
}

// CountIssues returns at least how many items (issues and pull requests)
// q selects: the number of the last page of a listing one item a page,
// which GitHub's Link header names; without that link, the items on the
// one page GitHub sent (0 or 1). It is a lower bound, never more than
// GitHub says.
func (c *Client) CountIssues(ctx context.Context, q IssueQuery) (int, error) {
	items, resp, err := c.issuePage(ctx, q, 1, 1)
	if err != nil {
		return 0, c.wrap("count "+q.String(), err)
	}
	return max(resp.LastPage, len(items)), nil
}

func (c *Client) issuePage(ctx context.Context, q IssueQuery, page, perPage int) ([]*github.Issue, *github.Response, error) {
	opts := github.IssueListByRepoOptions{State: q.State, Labels: q.Labels, Assignee: q.Assignee,
		ListOptions: github.ListOptions{Page: page, PerPage: perPage}}
	if q.Ascending {
		opts.Direction = "asc"
	}
	if page == 1 {
		opts.Page = 0 // GitHub's first page is the one without ?page
	}
	return c.gh.Issues.ListByRepo(ctx, c.owner, c.repo, &opts)
}

// Label returns the repository's label name, or nil when it has none.
func (c *Client) Label(ctx context.Context, name string) (*github.Label, error) {
	// go-github puts the name into the path as it is; escape it here.
	l, _, err := c.gh.Issues.GetLabel(ctx, c.owner, c.repo, url.PathEscape(name))
	switch {
	case err == nil:
		return l, nil
	case statusOf(err) == http.StatusNotFound:
		return nil, nil
	}
	return nil, c.wrap(fmt.Sprintf("get label %q", name), err)
}

// CreateLabel creates label name with color (six hex digits) and
// description, for a caller that has just seen, with Label, that it is
// missing. Another run creating it at the same moment (422 already_exists)
// is success.
func (c *Client) CreateLabel(ctx context.Context, name, color, description string) error {
	color = strings.TrimPrefix(color, "#")
	_, _, err := c.gh.Issues.CreateLabel(repeatable(ctx), c.owner, c.repo,
		&github.Label{Name: &name, Color: &color, Description: &description})
	if err != nil && !(statusOf(err) == http.StatusUnprocessableEntity && hasCode(err, "already_exists")) {
		return c.wrap(fmt.Sprintf("create label %q", name), err)
	}
	return nil
}

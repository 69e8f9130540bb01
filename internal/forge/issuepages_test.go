package forge_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/forge/githubtest"
)

// TestIssuePagesDoubt: a listing says when its chain of pages gives reason
// to think it lost some, and only then.
func TestIssuePagesDoubt(t *testing.T) {
	const query = "labels=m&per_page=100&state=all"
	passThrough := githubtest.Fault{Method: "GET", Path: "issues", Delay: time.Millisecond} // answered normally
	for _, tc := range []struct {
		name   string
		issues int
		faults func(srv *githubtest.Server) []githubtest.Fault
		items  int
		doubt  string // a part of it; "" for none
	}{
		{"none", 0, nil, 0, ""},
		{"one short page", 7, nil, 7, ""},
		{"exactly one full page: the total is unknown", 100, nil, 100, "page 1 is full (100 issues) with no link to a next page"},
		{"two pages", 120, nil, 120, ""},
		{"two full pages: the first named the last", 200, nil, 200, ""},
		{"a first page of 100 without the next link", 120, func(srv *githubtest.Server) []githubtest.Fault {
			return []githubtest.Fault{srv.ListingWithoutNext(query)}
		}, 100, "page 1 is full (100 issues) with no link to a next page, and no page said which is the last"},
		{"a second page of three without the next link", 250, func(srv *githubtest.Server) []githubtest.Fault {
			return []githubtest.Fault{passThrough, srv.ListingWithoutNext("labels=m&page=2&per_page=100&state=all")}
		}, 200, "page 2 of 3 links to no next page"},
		{"a page short of full that links to a next", 120, func(srv *githubtest.Server) []githubtest.Fault {
			return []githubtest.Fault{srv.ListingWithout(query, 120, 119)}
		}, 118, "page 1 holds 98 issues, not 100, yet links to a next page"},
		{"an empty answer: nothing says it is wrong", 120, func(*githubtest.Server) []githubtest.Fault {
			return []githubtest.Fault{githubtest.EmptyListing()}
		}, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, srv, _ := setup(t)
			for i := range tc.issues {
				srv.AddIssue(githubtest.Issue{Title: fmt.Sprint("i", i), Labels: []string{"m"}})
			}
			srv.AddIssue(githubtest.Issue{Title: "other", Labels: []string{"other"}})
			if tc.faults != nil {
				srv.Inject(tc.faults(srv)...)
			}
			l, err := c.IssuePages(context.Background(), forge.IssueQuery{Labels: []string{"m"}, State: "all"})
			if err != nil {
				t.Fatal(err)
			}
			if l.Items != tc.items || len(l.Issues) != tc.items {
				t.Errorf("%d items, %d issues; want %d", l.Items, len(l.Issues), tc.items)
			}
			if tc.doubt == "" && l.Doubt != "" || !strings.Contains(l.Doubt, tc.doubt) {
				t.Errorf("doubt %q, want %q", l.Doubt, tc.doubt)
			}
			if q := srv.Log()[0].Query.Encode(); q != query {
				t.Errorf("first query %s, want %s", q, query)
			}
		})
	}
}

func TestIssuePagesFilters(t *testing.T) {
	c, srv, _ := setup(t)
	srv.AddIssue(githubtest.Issue{Title: "alice's", Labels: []string{"m"}, Assignees: []string{"alice"}})
	srv.AddIssue(githubtest.Issue{Title: "no one's", Labels: []string{"m"}})
	srv.AddIssue(githubtest.Issue{Title: "closed, no one's", Labels: []string{"m"}, State: "closed"})
	srv.AddIssue(githubtest.Issue{Title: "bob's, other label", Labels: []string{"x"}, Assignees: []string{"bob"}})
	srv.AddPull(githubtest.Pull{Issue: githubtest.Issue{Title: "a pull", Labels: []string{"m"}}, Head: "report/e1001"})
	ctx := context.Background()
	for _, tc := range []struct {
		q     forge.IssueQuery
		want  string
		items int
	}{
		{forge.IssueQuery{Labels: []string{"m"}, State: "all", Assignee: "Alice"}, "alice's", 1},
		{forge.IssueQuery{Labels: []string{"m"}, State: "all", Assignee: "none"}, "a pull,closed, no one's,no one's", 3},
		{forge.IssueQuery{Labels: []string{"m"}, State: "open", Assignee: "none"}, "a pull,no one's", 2},
		{forge.IssueQuery{State: "all", Assignee: "*"}, "bob's, other label,alice's", 2},
		{forge.IssueQuery{Labels: []string{"m"}, State: "all", Ascending: true}, "alice's,no one's,closed, no one's", 4},
	} {
		l, err := c.IssuePages(ctx, tc.q)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, is := range l.Issues {
			got = append(got, is.GetTitle())
		}
		if l.Items != tc.items || strings.Join(got, ",") != strings.ReplaceAll(tc.want, "a pull,", "") {
			t.Errorf("%s: %v (%d items), want %s (%d)", tc.q, got, l.Items, tc.want, tc.items)
		}
	}
}

// TestCountIssues: the count is the last page of a listing one a page,
// oldest first; without a link, what the one page holds.
func TestCountIssues(t *testing.T) {
	for _, n := range []int{0, 1, 2, 120} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			c, srv, _ := setup(t)
			for i := range n {
				srv.AddIssue(githubtest.Issue{Title: fmt.Sprint("i", i), Labels: []string{"m"}})
			}
			srv.AddIssue(githubtest.Issue{Title: "other"})
			got, err := c.CountIssues(context.Background(), forge.IssueQuery{Labels: []string{"m"}, State: "all", Ascending: true})
			if err != nil || got != n {
				t.Errorf("count %d, %v; want %d", got, err, n)
			}
			if q := srv.Log()[0].Query.Encode(); q != "direction=asc&labels=m&per_page=1&state=all" {
				t.Errorf("query %s", q)
			}
		})
	}
	// A broken Link makes it a lower bound, never more.
	c, srv, _ := setup(t)
	for i := range 5 {
		srv.AddIssue(githubtest.Issue{Title: fmt.Sprint("i", i), Labels: []string{"m"}})
	}
	srv.Inject(srv.ListingWithoutNext("direction=asc&labels=m&per_page=1&state=all"))
	if got, err := c.CountIssues(context.Background(), forge.IssueQuery{Labels: []string{"m"}, State: "all", Ascending: true}); err != nil || got != 1 {
		t.Errorf("without the link: %d, %v; want 1", got, err)
	}
}

func TestLabelAndCreateLabel(t *testing.T) {
	c, srv, _ := setup(t)
	ctx := context.Background()
	l, err := c.Label(ctx, "report/2026-12")
	if err != nil || l != nil {
		t.Fatalf("missing label: %v, %v", l, err)
	}
	if err := c.CreateLabel(ctx, "report/2026-12", "#fbca04", "The month's"); err != nil {
		t.Fatal(err)
	}
	l, err = c.Label(ctx, "report/2026-12")
	if err != nil || l.GetName() != "report/2026-12" || l.GetColor() != "fbca04" || l.GetDescription() != "The month's" {
		t.Errorf("label %v, %v", l, err)
	}
	// Another run made it meanwhile: 422 already_exists is success.
	if err := c.CreateLabel(ctx, "report/2026-12", "fbca04", "The month's"); err != nil {
		t.Errorf("again: %v", err)
	}
	if n := len(srv.Labels()); n != 1 {
		t.Errorf("%d labels", n)
	}
	if got := srv.Log()[0].RawPath; got != "labels/report%2F2026-12" {
		t.Errorf("path %s", got)
	}
	srv.Inject(githubtest.Forbidden("GET", "labels/*", "Resource not accessible by integration"))
	if _, err := c.Label(ctx, "x"); err == nil || !strings.Contains(err.Error(), `get label "x"`) {
		t.Errorf("403: %v", err)
	}
}

package monthly

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/posture-dev/posture/internal/forge/githubtest"
)

// listingQuery is the query of Open's listing, as the client sends it.
const listingQuery = "labels=report%2F2026-12&per_page=100&state=all"

// bigPlan is the 2026-12 plan of n people, each with a login unless
// unassigned.
func bigPlan(n int, unassigned bool) []Planned {
	g := DefaultGuide()
	g.Due, g.Timezone, g.RepoURL = "2026-12-10", "Asia/Tokyo", "https://github.com/acme/device-reports"
	var plan []Planned
	for i := range n {
		s := Subject{ID: fmt.Sprintf("e%04d", i), Name: fmt.Sprint("Person ", i),
			Devices: []Device{{ID: fmt.Sprintf("d-e%04d-laptop", i), Type: "laptop", Platform: "windows", Model: "X"}}}
		if !unassigned {
			s.Login = fmt.Sprint("person-", i)
		}
		plan = append(plan, Plan("2026-12", []Subject{s}, g)...)
	}
	return plan
}

// seed opens plan's issues on the fake as an earlier run would have: the
// period's label and the forms' exist, and every issue is labelled.
func seed(srv *githubtest.Server, plan []Planned) []int {
	srv.AddLabel(githubtest.Label{Name: "report/2026-12", Color: periodColor, Description: periodDescription})
	for _, l := range formLabels {
		srv.AddLabel(githubtest.Label{Name: l[0], Color: l[1], Description: l[2]})
	}
	var nums []int
	for _, p := range plan {
		nums = append(nums, srv.AddIssue(githubtest.Issue{Title: p.Title, Body: p.Body,
			Labels: []string{"report/2026-12"}, Assignees: p.Assignees}))
	}
	return nums
}

func formNames() []string {
	var out []string
	for _, l := range formLabels {
		out = append(out, l[0])
	}
	return out
}

// requests returns "METHOD path?query" for each request the fake got
// from the from'th on, the path as sent.
func requests(srv *githubtest.Server, from int) []string {
	var out []string
	for _, c := range srv.Log()[from:] {
		r := c.Method + " " + c.RawPath
		if q := c.Query.Encode(); q != "" {
			r += "?" + q
		}
		out = append(out, r)
	}
	return out
}

// TestOpenDoubtsOneListing: GitHub's listing comes back wrong in the ways
// it has been seen to (empty while the issues exist; a first page of 100
// without the link to the next; issues left out of a page), and Open
// opens no duplicate: it sees that the listing disagrees with what an
// earlier run left (the label, a count) or that its pages are broken, and
// looks each person it lacks up by assignee before creating anything.
func TestOpenDoubtsOneListing(t *testing.T) {
	for _, tc := range []struct {
		name     string
		plan     []Planned
		exist    int                                                       // the plan's first issues, open on GitHub
		listing  func(srv *githubtest.Server, nums []int) githubtest.Fault // the answer to Open's listing
		why      string                                                    // what the run says of the listing
		created  int
		unlisted int
		asked    int // requests before the first write
	}{
		{"an empty listing while 10 exist", bigPlan(10, false), 10,
			func(*githubtest.Server, []int) githubtest.Fault { return githubtest.EmptyListing() },
			"it is empty, but the label report/2026-12 exists", 0, 10,
			1 + 1 + 1 + 10}, // the listing, the label, assignee=none, one per person
		{"a first page of 100 without the next link while 120 exist", bigPlan(120, false), 120,
			func(srv *githubtest.Server, _ []int) githubtest.Fault { return srv.ListingWithoutNext(listingQuery) },
			"page 1 is full (100 issues) with no link to a next page", 0, 20,
			1 + 1 + 1 + 20},
		{"a page without 2 of the 4 that exist", bigPlan(10, false), 4,
			func(srv *githubtest.Server, nums []int) githubtest.Fault {
				return srv.ListingWithout(listingQuery, nums[1], nums[2])
			},
			"it holds 2 issues, but GitHub counts 4 labelled report/2026-12", 6, 2,
			1 + 1 + 1 + 1 + 8 + len(formLabels)}, // ... the count, ..., one per person it lacks, the forms' labels
		{"an empty listing while 120 exist unassigned", bigPlan(120, true), 120,
			func(*githubtest.Server, []int) githubtest.Fault { return githubtest.EmptyListing() },
			"it is empty, but the label", 0, 120,
			1 + 1 + 2}, // the listing, the label, both pages of assignee=none
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, srv, clk := setup(t)
			nums := seed(srv, tc.plan[:tc.exist])
			srv.Inject(tc.listing(srv, nums))
			res, out, err := openWith(t, c, clk, tc.plan, 500)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out, "GitHub's listing of report/2026-12 may be incomplete: "+tc.why) {
				t.Errorf("the run does not say %q:\n%s", tc.why, out)
			}
			if len(res.Created) != tc.created || len(res.Unlisted) != tc.unlisted || res.Existing != tc.exist || res.Remaining != 0 {
				t.Errorf("result %+v, want %d created, %d unlisted, %d existing", res, tc.created, tc.unlisted, tc.exist)
			}
			if n := strings.Count(out, "the listing lacked #"); n != tc.unlisted {
				t.Errorf("%d issues said to be missing from the listing, want %d:\n%s", n, tc.unlisted, out)
			}
			for id, n := range keys(t, srv) {
				if n != 1 {
					t.Errorf("%s has %d issues", id, n)
				}
			}
			if n := len(srv.Issues()); n != len(tc.plan) {
				t.Errorf("%d issues for %d people", n, len(tc.plan))
			}
			log := requests(srv, 0)
			if log[0] != "GET issues?"+listingQuery {
				t.Errorf("the listing was %q, and the fault replaced it with the answer to %q", log[0], listingQuery)
			}
			first := slices.IndexFunc(log, func(r string) bool { return !strings.HasPrefix(r, "GET ") })
			if first < 0 {
				first = len(log)
			}
			if first != tc.asked || len(log) != tc.asked+tc.created {
				t.Errorf("%d requests before the first write and %d in all, want %d and %d:\n%s",
					first, len(log), tc.asked, tc.asked+tc.created, strings.Join(log, "\n"))
			}
			// The second query is per assignee, and unassigned once.
			if !slices.Contains(log, "GET issues?assignee=none&labels=report%2F2026-12&per_page=100&state=all") {
				t.Errorf("no listing of the unassigned:\n%s", strings.Join(log, "\n"))
			}
		})
	}
}

// TestOpenWhenBothAnswersAreInDoubt: the listing and the second query
// (the unassigned, whose first page of 100 lacks the next link too) both
// lack 20 of 120 unassigned issues: those 20 are not opened, and the run
// says so and ends in *UnconfirmedError; a later run with honest answers
// opens nothing either, since they all exist.
func TestOpenWhenBothAnswersAreInDoubt(t *testing.T) {
	c, srv, clk := setup(t)
	plan := bigPlan(120, true)
	seed(srv, plan)
	srv.Inject(srv.ListingWithoutNext(listingQuery),
		srv.ListingWithoutNext("assignee=none&labels=report%2F2026-12&per_page=100&state=all"))
	res, out, err := openWith(t, c, clk, plan, 500)
	var ue *UnconfirmedError
	if !errors.As(err, &ue) || len(ue.Subjects) != 20 || len(res.Created) != 0 || res.Remaining != 20 {
		t.Fatalf("%+v, %v", res, err)
	}
	if !strings.Contains(err.Error(), "GitHub's answers could not confirm that the 2026-12 issues of e0000, e0001, ") ||
		!strings.Contains(err.Error(), "e0019 are missing, so they are left unopened; run again later") ||
		!strings.Contains(out, "100 issues exist, 0 to open, 20 unconfirmed (cap 500)") {
		t.Errorf("message: %v\n%s", err, out)
	}
	if n := strings.Count(out, "cannot confirm that e00"); n != 20 {
		t.Errorf("%d people said to be unconfirmed, want 20:\n%s", n, out)
	}
	if countPOSTs(srv) != 0 || len(srv.Issues()) != 120 {
		t.Errorf("%d POSTs, %d issues", countPOSTs(srv), len(srv.Issues()))
	}
	res, _, err = openWith(t, c, clk, plan, 500)
	if err != nil || len(res.Created) != 0 || res.Existing != 120 || countPOSTs(srv) != 0 {
		t.Errorf("honest run: %+v, %v", res, err)
	}
}

// TestOpenRequests counts the requests of the ordinary runs: the checks
// that keep a wrong listing from opening duplicates cost a first run and a
// run with nothing missing nothing more than the listing and the labels
// Open needs anyway, and a run with some missing one count.
func TestOpenRequests(t *testing.T) {
	forms := func() (out []string) {
		for _, l := range formNames() {
			out = append(out, "GET labels/"+url.PathEscape(l))
		}
		return out
	}
	repeat := func(r string, n int) []string { return slices.Repeat([]string{r}, n) }
	list := "GET issues?" + listingQuery
	label := "GET labels/report%2F2026-12"
	count := "GET issues?direction=asc&labels=report%2F2026-12&per_page=1&state=all"
	for _, tc := range []struct {
		name  string
		exist int
		want  []string
	}{
		{"nothing exists yet", 0, slices.Concat([]string{list, label, "POST labels"},
			func() (out []string) {
				for _, g := range forms() {
					out = append(out, g, "POST labels")
				}
				return out
			}(), repeat("POST issues", 10))},
		{"4 exist", 4, slices.Concat([]string{list, label, count}, forms(), repeat("POST issues", 6))},
		{"all exist", 10, []string{list}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, srv, clk := setup(t)
			plan := bigPlan(10, false)
			if tc.exist > 0 {
				seed(srv, plan[:tc.exist])
			}
			res, out, err := openWith(t, c, clk, plan, 50)
			if err != nil || len(res.Created) != 10-tc.exist || res.Existing != tc.exist || strings.Contains(out, "may be incomplete") {
				t.Fatalf("%+v, %v\n%s", res, err, out)
			}
			if got := requests(srv, 0); !slices.Equal(got, tc.want) {
				t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if len(srv.Issues()) != 10 {
				t.Errorf("%d issues", len(srv.Issues()))
			}
		})
	}
}

// TestOpenSettlesAnUnassignedIssue: the answer to the unassigned retry of
// an issue whose login GitHub would not assign is lost; the issue is found
// among the unassigned, not opened again.
func TestOpenSettlesAnUnassignedIssue(t *testing.T) {
	c, srv, clk := setup(t)
	srv.AddCollaborators("person-0")
	plan := bigPlan(2, false)
	normal := githubtest.Fault{Method: "POST", Path: "issues", Delay: time.Millisecond}
	srv.Inject(normal, normal, githubtest.Lost("POST", "issues", 502)) // e0000; e0001 assigned (422); e0001 unassigned
	res, out, err := openWith(t, c, clk, plan, 50)
	if err != nil || len(res.Created) != 2 || len(srv.Issues()) != 2 || !strings.Contains(out, "found #") {
		t.Fatalf("%+v, %v, %d issues\n%s", res, err, len(srv.Issues()), out)
	}
	if got := requests(srv, 0); !slices.Contains(got, "GET issues?assignee=none&labels=report%2F2026-12&per_page=100&state=all") {
		t.Errorf("not looked up among the unassigned:\n%s", strings.Join(got, "\n"))
	}
}

// writes counts the requests the fake got that are not GETs.
func writes(srv *githubtest.Server) int {
	n := 0
	for _, c := range srv.Log() {
		if c.Method != "GET" {
			n++
		}
	}
	return n
}

// TestOpenDryRunDoubts: a dry run weighs the listing as a run does, with
// GETs only, so its plan does not show issues that exist as missing.
func TestOpenDryRunDoubts(t *testing.T) {
	c, srv, _ := setup(t)
	plan := bigPlan(10, false)
	seed(srv, plan[:6])
	srv.Inject(githubtest.EmptyListing())
	var out strings.Builder
	res, err := Open(context.Background(), c, plan, OpenOptions{Period: "2026-12", Max: 50, DryRun: true, Out: &out})
	if err != nil || res.Existing != 6 || len(res.Unlisted) != 6 || res.Remaining != 4 || writes(srv) != 0 {
		t.Errorf("%+v, %v, %d writes", res, err, writes(srv))
	}
	for _, s := range []string{"may be incomplete: it is empty", "6 issues exist, 4 to open (cap 50)", "would open 4 issues"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("dry run lacks %q:\n%s", s, out.String())
		}
	}
}

// TestOpenDoubtUnderFaults: a broken page chain, 5xx answers to the second
// query, and lost, refused and timed-out creations in one run: every person
// ends with exactly one issue.
func TestOpenDoubtUnderFaults(t *testing.T) {
	c, srv, clk := setup(t)
	plan := bigPlan(150, false)
	seed(srv, plan[:120]) // the listing's one page holds the newest 100: e0020 to e0119
	pass := githubtest.Fault{Method: "GET", Path: "issues", Delay: time.Millisecond, Times: 7}
	srv.Inject(srv.ListingWithoutNext(listingQuery),
		githubtest.ServerError("GET", "issues", 503), pass, githubtest.ServerError("GET", "issues", 502), pass,
		githubtest.Lost("GET", "issues", 504), // a GET whose answer is lost is retried like any
		githubtest.Lost("POST", "issues", 502), githubtest.ServerError("POST", "issues", 500),
		githubtest.Slow("POST", "issues", 2*time.Second), githubtest.SecondaryRateLimit("POST", "issues", 429, 0),
		githubtest.Lost("POST", "issues", 504))
	res, out, err := openWith(t, c, clk, plan, 500)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Created) != 30 || len(res.Unlisted) != 20 || res.Existing != 120 || res.Remaining != 0 {
		t.Errorf("result %+v", res)
	}
	got := keys(t, srv)
	for _, p := range plan {
		if got[p.Subject.ID] != 1 {
			t.Errorf("%s has %d issues", p.Subject.ID, got[p.Subject.ID])
		}
	}
	if n := len(srv.Issues()); n != 150 || strings.Count(out, "found #") != 2 {
		t.Errorf("%d issues, want 150; %d found after a lost answer, want 2", n, strings.Count(out, "found #"))
	}
}

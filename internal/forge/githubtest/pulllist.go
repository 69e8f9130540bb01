package githubtest

import (
	"net/http"
	"slices"
	"sort"
	"strings"
)

// GET /pulls, the list of pull requests, for posture subject --head-sha:
// a workflow_run event of a fork's pull request does not name it.
func init() {
	routes = append(routes, route{"GET", "pulls", "pulls/list",
		[]string{"state", "head", "base", "sort", "direction", "per_page", "page"}, (*Server).listPulls})
}

// listPulls answers the pull requests in state (default open), filtered by
// head ("owner:branch") and base branch, newest first unless direction=asc,
// as GitHub's "List pull requests" does.
func (s *Server) listPulls(c *call) {
	q := c.r.URL.Query()
	state := q.Get("state")
	if state == "" {
		state = "open"
	}
	if !slices.Contains([]string{"open", "closed", "all"}, state) {
		invalid(c, ValidationError{Resource: "PullRequest", Field: "state", Code: "invalid"})
		return
	}
	if v := q.Get("sort"); v != "" && v != "created" {
		s.t.Errorf("githubtest: sorting pull requests by %q is not modelled", v)
	}
	head := q.Get("head")
	if head != "" && !strings.Contains(head, ":") {
		s.t.Errorf("githubtest: head %q is not user:ref-name", head)
	}
	var out []*item
	for _, it := range s.sortedItems() {
		if !it.isPull || state != "all" && it.State != state {
			continue
		}
		if head != "" && !strings.EqualFold(head, Owner+":"+it.Head) {
			continue
		}
		if b := q.Get("base"); b != "" && b != it.Base {
			continue
		}
		out = append(out, it)
	}
	if q.Get("direction") != "asc" {
		sort.SliceStable(out, func(i, j int) bool { return out[i].Number > out[j].Number })
	}
	var page []object
	for _, it := range paginate(s, c, out) {
		page = append(page, s.simplePullJSON(it))
	}
	writeJSON(c.w, http.StatusOK, orEmpty(page))
}

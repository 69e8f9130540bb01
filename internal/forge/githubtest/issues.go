package githubtest

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"
)

func (s *Server) issue(c *call) *item {
	it, ok := s.items[c.n]
	if !ok {
		fail(c, http.StatusNotFound, "Not Found")
		return nil
	}
	return it
}

// listIssues lists issues and pull requests, as GitHub does, filtered by
// state (default open), labels (all of them), creator and assignee (a
// login, none or *), newest first unless direction=asc.
func (s *Server) listIssues(c *call) {
	q := c.r.URL.Query()
	state := q.Get("state")
	if state == "" {
		state = "open"
	}
	if !slices.Contains([]string{"open", "closed", "all"}, state) {
		invalid(c, ValidationError{Resource: "Issue", Field: "state", Code: "invalid"})
		return
	}
	if v := q.Get("sort"); v != "" && v != "created" {
		s.t.Errorf("githubtest: sorting issues by %q is not modelled", v)
	}
	var labels []string
	if v := q.Get("labels"); v != "" {
		labels = strings.Split(v, ",")
	}
	var out []*item
	for _, it := range s.sortedItems() {
		if (state == "all" || it.State == state) && hasAll(it.Labels, labels) &&
			(q.Get("creator") == "" || strings.EqualFold(q.Get("creator"), it.Author)) &&
			assigneeMatches(it.Assignees, q.Get("assignee")) {
			out = append(out, it)
		}
	}
	if q.Get("direction") != "asc" {
		sort.SliceStable(out, func(i, j int) bool { return out[i].Number > out[j].Number })
	}
	var page []object
	for _, it := range paginate(s, c, out) {
		page = append(page, s.issueJSON(it))
	}
	writeJSON(c.w, http.StatusOK, orEmpty(page))
}

func (s *Server) getIssue(c *call) {
	if it := s.issue(c); it != nil {
		writeJSON(c.w, http.StatusOK, s.issueJSON(it))
	}
}

// issueFields are the fields POST and PATCH /issues take.
type issueFields struct {
	Title       *string         `json:"title"`
	Body        *string         `json:"body"`
	State       *string         `json:"state"`
	StateReason *string         `json:"state_reason"`
	Assignee    *string         `json:"assignee"`
	Assignees   *[]string       `json:"assignees"`
	Labels      *[]string       `json:"labels"`
	Milestone   json.RawMessage `json:"milestone"`
}

func (s *Server) createIssue(c *call) {
	var in issueFields
	if !s.decode(c, &in) {
		return
	}
	if in.Title == nil || *in.Title == "" {
		invalid(c, ValidationError{Resource: "Issue", Field: "title", Code: "missing_field"})
		return
	}
	it := &item{Pull: Pull{Issue: Issue{Title: *in.Title, Author: s.actor}}}
	if !s.applyIssue(c, it, in) {
		return
	}
	s.addItem(it)
	writeJSON(c.w, http.StatusCreated, s.issueJSON(it))
}

func (s *Server) editIssue(c *call) {
	var in issueFields
	it := s.issue(c)
	if it == nil || !s.decode(c, &in) {
		return
	}
	if in.Title != nil {
		it.Title = *in.Title
	}
	if s.applyIssue(c, it, in) {
		it.UpdatedAt = s.now()
		writeJSON(c.w, http.StatusOK, s.issueJSON(it))
	}
}

// applyIssue sets what both POST and PATCH take, answering 422 as GitHub
// does for a state or assignee it will not accept.
func (s *Server) applyIssue(c *call, it *item, in issueFields) bool {
	if len(in.Milestone) > 0 && string(in.Milestone) != "null" {
		s.t.Errorf("githubtest: milestones are not modelled")
	}
	if in.Assignee != nil {
		s.t.Errorf("githubtest: send assignees, not the deprecated assignee")
	}
	if in.State != nil {
		if *in.State != "open" && *in.State != "closed" {
			invalid(c, ValidationError{Resource: "Issue", Field: "state", Code: "invalid"})
			return false
		}
		if *in.State == "closed" && it.State != "closed" {
			it.ClosedAt = s.now()
		}
		it.State = *in.State
	}
	if in.Assignees != nil {
		for _, a := range *in.Assignees {
			if len(s.collaborators) > 0 && !s.collaborators[strings.ToLower(a)] {
				invalid(c, ValidationError{Resource: "Issue", Field: "assignees", Code: "invalid", Value: a})
				return false
			}
		}
		it.Assignees = slices.Clone(*in.Assignees)
	}
	if in.Body != nil {
		it.Body = *in.Body
	}
	if in.Labels != nil {
		it.Labels = s.labelNames(*in.Labels)
	}
	return true
}

func (s *Server) listComments(c *call) {
	if s.issue(c) == nil {
		return
	}
	var mine []*Comment
	for _, cm := range s.comments {
		if cm.Issue == c.n {
			mine = append(mine, cm)
		}
	}
	var out []object
	for _, cm := range paginate(s, c, mine) {
		out = append(out, s.commentJSON(cm))
	}
	writeJSON(c.w, http.StatusOK, orEmpty(out))
}

func (s *Server) createComment(c *call) {
	var in struct {
		Body *string `json:"body"`
	}
	if s.issue(c) == nil || !s.decode(c, &in) {
		return
	}
	if in.Body == nil || *in.Body == "" {
		fail(c, http.StatusUnprocessableEntity, "Invalid request.\n\n\"body\" wasn't supplied.")
		return
	}
	writeJSON(c.w, http.StatusCreated, s.commentJSON(s.addComment(c.n, s.actor, *in.Body)))
}

func (s *Server) editComment(c *call) {
	var in struct {
		Body *string `json:"body"`
	}
	i := slices.IndexFunc(s.comments, func(cm *Comment) bool { return cm.ID == c.id })
	if i < 0 {
		fail(c, http.StatusNotFound, "Not Found")
		return
	}
	if !s.decode(c, &in) {
		return
	}
	if in.Body == nil || *in.Body == "" {
		fail(c, http.StatusUnprocessableEntity, "Invalid request.\n\n\"body\" wasn't supplied.")
		return
	}
	cm := s.comments[i]
	cm.Body, cm.UpdatedAt = *in.Body, s.now()
	writeJSON(c.w, http.StatusOK, s.commentJSON(cm))
}

// hasAll reports whether have holds every one of want, without case.
func hasAll(have, want []string) bool {
	for _, w := range want {
		if !slices.ContainsFunc(have, func(h string) bool { return strings.EqualFold(h, w) }) {
			return false
		}
	}
	return true
}

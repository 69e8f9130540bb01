package githubtest

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

var hexColor = regexp.MustCompile(`^[0-9a-fA-F]{6}$`)

// labelNames returns names deduplicated, spelt as the repository's labels
// are, creating the missing labels as GitHub does.
func (s *Server) labelNames(names []string) []string {
	var out []string
	for _, n := range names {
		l := s.ensureLabel(n)
		if !slices.Contains(out, l.Name) {
			out = append(out, l.Name)
		}
	}
	return out
}

// issueLabelsBody reads the body of POST and PUT /issues/{n}/labels, which
// GitHub takes as ["a", "b"] or {"labels": ["a", "b"]}.
func (s *Server) issueLabelsBody(c *call) ([]string, bool) {
	var list []string
	if json.Unmarshal(c.body, &list) == nil {
		return list, true
	}
	var obj struct {
		Labels []string `json:"labels"`
	}
	return obj.Labels, s.decode(c, &obj)
}

func (s *Server) addIssueLabels(c *call) {
	it := s.issue(c)
	if it == nil {
		return
	}
	if names, ok := s.issueLabelsBody(c); ok {
		it.Labels = s.labelNames(append(slices.Clone(it.Labels), names...))
		writeJSON(c.w, http.StatusOK, s.labelsJSON(it.Labels, true))
	}
}

func (s *Server) setIssueLabels(c *call) {
	it := s.issue(c)
	if it == nil {
		return
	}
	if names, ok := s.issueLabelsBody(c); ok {
		it.Labels = s.labelNames(names)
		writeJSON(c.w, http.StatusOK, s.labelsJSON(it.Labels, true))
	}
}

// removeIssueLabels is DELETE /issues/{n}/labels, which answers 204.
func (s *Server) removeIssueLabels(c *call) {
	if it := s.issue(c); it != nil {
		it.Labels = nil
		c.w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) removeIssueLabel(c *call) {
	it := s.issue(c)
	if it == nil {
		return
	}
	i := slices.IndexFunc(it.Labels, func(l string) bool { return strings.EqualFold(l, c.name) })
	if i < 0 {
		fail(c, http.StatusNotFound, "Label does not exist")
		return
	}
	it.Labels = slices.Delete(it.Labels, i, i+1)
	writeJSON(c.w, http.StatusOK, s.labelsJSON(it.Labels, true))
}

func (s *Server) listLabels(c *call) {
	var out []object
	for _, l := range paginate(s, c, s.labels) {
		out = append(out, s.labelJSON(l, true))
	}
	writeJSON(c.w, http.StatusOK, orEmpty(out))
}

func (s *Server) getLabel(c *call) {
	l := s.findLabel(c.name)
	if l == nil {
		fail(c, http.StatusNotFound, "Not Found")
		return
	}
	writeJSON(c.w, http.StatusOK, s.labelJSON(l, true))
}

type labelFields struct {
	Name        *string `json:"name"`
	NewName     *string `json:"new_name"`
	Color       *string `json:"color"`
	Description *string `json:"description"`
}

func (s *Server) createLabel(c *call) {
	var in labelFields
	if !s.decode(c, &in) {
		return
	}
	switch {
	case in.Name == nil || *in.Name == "":
		invalid(c, ValidationError{Resource: "Label", Field: "name", Code: "missing_field"})
	case in.NewName != nil:
		s.t.Errorf("githubtest: new_name is for PATCH /labels/{name}")
		invalid(c, ValidationError{Resource: "Label", Field: "new_name", Code: "invalid"})
	case s.findLabel(*in.Name) != nil:
		invalid(c, ValidationError{Resource: "Label", Field: "name", Code: "already_exists"})
	case in.Color != nil && !hexColor.MatchString(*in.Color):
		invalid(c, ValidationError{Resource: "Label", Field: "color", Code: "invalid"})
	default:
		l := &Label{ID: s.newID(), Name: *in.Name, Color: "ededed"}
		if in.Color != nil {
			l.Color = strings.ToLower(*in.Color)
		}
		if in.Description != nil {
			l.Description = *in.Description
		}
		s.labels = append(s.labels, l)
		writeJSON(c.w, http.StatusCreated, s.labelJSON(l, true))
	}
}

func (s *Server) editLabel(c *call) {
	var in labelFields
	l := s.findLabel(c.name)
	if l == nil {
		fail(c, http.StatusNotFound, "Not Found")
		return
	}
	if !s.decode(c, &in) {
		return
	}
	if in.Color != nil && !hexColor.MatchString(*in.Color) {
		invalid(c, ValidationError{Resource: "Label", Field: "color", Code: "invalid"})
		return
	}
	if in.NewName != nil && *in.NewName != "" {
		l.Name = *in.NewName
	}
	if in.Color != nil {
		l.Color = strings.ToLower(*in.Color)
	}
	if in.Description != nil {
		l.Description = *in.Description
	}
	writeJSON(c.w, http.StatusOK, s.labelJSON(l, true))
}

var shaPattern = regexp.MustCompile(`^[0-9a-f]{40}$`)

// createStatus is POST /statuses/{sha}; c.name is the SHA.
func (s *Server) createStatus(c *call) {
	var in struct {
		State       string `json:"state"`
		TargetURL   string `json:"target_url"`
		Description string `json:"description"`
		Context     string `json:"context"`
	}
	if !s.decode(c, &in) {
		return
	}
	switch {
	case !shaPattern.MatchString(c.name):
		fail(c, http.StatusUnprocessableEntity, "No commit found for SHA: "+c.name)
	case !slices.Contains([]string{"error", "failure", "pending", "success"}, in.State):
		invalid(c, ValidationError{Resource: "Status", Field: "state", Code: "custom",
			Message: "state is not included in the list"})
	case utf8.RuneCountInString(in.Description) > 140:
		invalid(c, ValidationError{Resource: "Status", Field: "description", Code: "custom",
			Message: "description is too long (maximum is 140 characters)"})
	default:
		if in.Context == "" {
			in.Context = "default"
		}
		st := &Status{ID: s.newID(), SHA: c.name, Context: in.Context, State: in.State,
			Description: in.Description, TargetURL: in.TargetURL, Creator: s.actor, CreatedAt: s.now()}
		s.statuses[c.name] = append(s.statuses[c.name], st)
		writeJSON(c.w, http.StatusCreated, s.statusJSON(st))
	}
}

// listStatuses is GET /commits/{ref}/statuses, newest first.
func (s *Server) listStatuses(c *call) {
	sha := c.name
	if v, ok := s.refs["heads/"+c.name]; ok {
		sha = v
	}
	all := slices.Clone(s.statuses[sha])
	slices.Reverse(all)
	var out []object
	for _, st := range paginate(s, c, all) {
		out = append(out, s.statusJSON(st))
	}
	writeJSON(c.w, http.StatusOK, orEmpty(out))
}

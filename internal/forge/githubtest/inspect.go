package githubtest

import (
	"slices"
	"sort"
	"strings"
)

// Issue returns issue (or pull request) n as it is now.
func (s *Server) Issue(n int) (Issue, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.items[n]
	if !ok {
		return Issue{}, false
	}
	return cloneIssue(it.Issue), true
}

// Issues returns every issue that is not a pull request, by number.
func (s *Server) Issues() []Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Issue
	for _, it := range s.sortedItems() {
		if !it.isPull {
			out = append(out, cloneIssue(it.Issue))
		}
	}
	return out
}

// Pull returns pull request n as it is now.
func (s *Server) Pull(n int) (Pull, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.items[n]
	if !ok || !it.isPull {
		return Pull{}, false
	}
	p := it.Pull
	p.Issue = cloneIssue(p.Issue)
	p.Requested = slices.Clone(p.Requested)
	p.Files = slices.Clone(p.Files)
	p.Reviews = slices.Clone(p.Reviews)
	return p, true
}

// Comments returns the comments on issue or pull request n, oldest first.
func (s *Server) Comments(n int) []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Comment
	for _, cm := range s.comments {
		if cm.Issue == n {
			out = append(out, *cm)
		}
	}
	return out
}

// Labels returns the repository's labels.
func (s *Server) Labels() []Label {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Label, 0, len(s.labels))
	for _, l := range s.labels {
		out = append(out, *l)
	}
	return out
}

// Statuses returns the statuses set on sha, oldest first.
func (s *Server) Statuses(sha string) []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Status
	for _, st := range s.statuses[sha] {
		out = append(out, *st)
	}
	return out
}

// Ref returns the commit SHA reference ref ("heads/main") points at.
func (s *Server) Ref(ref string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sha, ok := s.refs[strings.TrimPrefix(ref, "refs/")]
	return sha, ok
}

// File returns the content of path on branch.
func (s *Server) File(branch, path string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.trees[s.refs["heads/"+branch]][path]
	return slices.Clone(b), ok
}

// Calls counts the requests with method whose path matches pattern (as in
// Fault.Path), answered or not. An empty method counts every method.
func (s *Server) Calls(method, pattern string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if (method == "" || c.Method == method) && (matches(pattern, c.Path) || matches(pattern, c.RawPath)) {
			n++
		}
	}
	return n
}

// Log returns every request received, in order.
func (s *Server) Log() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

func cloneIssue(is Issue) Issue {
	is.Labels = slices.Clone(is.Labels)
	is.Assignees = slices.Clone(is.Assignees)
	return is
}

func (s *Server) sortedItems() []*item {
	out := make([]*item, 0, len(s.items))
	for _, it := range s.items {
		out = append(out, it)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}

func (s *Server) newID() int64 {
	s.nextID++
	return s.nextID
}

// mustItem returns item n for a seeding method, failing the test if none.
func (s *Server) mustItem(n int) *item {
	it, ok := s.items[n]
	if !ok {
		s.t.Fatalf("githubtest: no issue or pull request #%d", n)
	}
	return it
}

// mustPull returns pull request n for a seeding method.
func (s *Server) mustPull(n int) *Pull {
	it := s.mustItem(n)
	if !it.isPull {
		s.t.Fatalf("githubtest: #%d is an issue, not a pull request", n)
	}
	return &it.Pull
}

// findLabel returns the label named name, compared as GitHub does, without case.
func (s *Server) findLabel(name string) *Label {
	for _, l := range s.labels {
		if strings.EqualFold(l.Name, name) {
			return l
		}
	}
	return nil
}

// ensureLabel returns label name, creating it with GitHub's default color
// as GitHub does when an issue is given a label that does not exist.
func (s *Server) ensureLabel(name string) *Label {
	if l := s.findLabel(name); l != nil {
		return l
	}
	l := &Label{ID: s.newID(), Name: name, Color: "ededed"}
	s.labels = append(s.labels, l)
	return l
}

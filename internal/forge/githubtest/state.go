package githubtest

import (
	"fmt"
	"slices"
	"strings"
)

// item is what one number holds: an issue, with a pull request's own
// fields in use when it is one.
type item struct {
	Pull
	isPull bool
}

// AddIssue seeds an issue and returns its number.
func (s *Server) AddIssue(is Issue) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addItem(&item{Pull: Pull{Issue: is}})
}

// AddPull seeds a pull request and returns its number. Its head branch, if
// named and missing, is created at HeadSHA.
func (s *Server) AddPull(p Pull) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.Base == "" {
		p.Base = DefaultBranch
	}
	if p.BaseSHA == "" {
		p.BaseSHA = s.refs["heads/"+p.Base]
	}
	if p.HeadSHA == "" {
		p.HeadSHA = s.refs["heads/"+p.Head]
	}
	if p.HeadSHA == "" {
		p.HeadSHA = fakeSHA(fmt.Sprintf("head %d %s", s.nextNumber, p.Head))
	}
	if _, ok := s.trees[p.HeadSHA]; !ok {
		s.trees[p.HeadSHA] = cloneTree(s.trees[p.BaseSHA])
	}
	if _, ok := s.refs["heads/"+p.Head]; p.Head != "" && !ok {
		s.refs["heads/"+p.Head] = p.HeadSHA
	}
	for i := range p.Files {
		if p.Files[i].Status == "" {
			p.Files[i].Status = "added"
		}
	}
	return s.addItem(&item{Pull: p, isPull: true})
}

func (s *Server) addItem(it *item) int {
	it.Number = s.nextNumber
	s.nextNumber++
	it.ID = s.newID()
	if it.State == "" {
		it.State = "open"
	}
	if it.Author == "" {
		it.Author = s.actor
	}
	if it.CreatedAt.IsZero() {
		it.CreatedAt = s.now()
	}
	if it.UpdatedAt.IsZero() {
		it.UpdatedAt = it.CreatedAt
	}
	for _, l := range it.Labels {
		s.ensureLabel(l)
	}
	for i := range it.Reviews {
		s.fillReview(&it.Pull, &it.Reviews[i])
	}
	s.items[it.Number] = it
	return it.Number
}

// AddFile adds a changed file to pull request pr.
func (s *Server) AddFile(pr int, f File) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.mustPull(pr)
	if f.Status == "" {
		f.Status = "added"
	}
	p.Files = append(p.Files, f)
}

// AddReview adds a review to pull request pr and returns its id.
func (s *Server) AddReview(pr int, r Review) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.mustPull(pr)
	s.fillReview(p, &r)
	p.Reviews = append(p.Reviews, r)
	// A review answers the request for it, as on GitHub.
	p.Requested = slices.DeleteFunc(p.Requested, func(l string) bool { return strings.EqualFold(l, r.User) })
	return r.ID
}

func (s *Server) fillReview(p *Pull, r *Review) {
	r.ID = s.newID()
	if r.State == "" {
		r.State = "APPROVED"
	}
	if r.CommitID == "" {
		r.CommitID = p.HeadSHA
	}
	if r.SubmittedAt.IsZero() {
		r.SubmittedAt = s.now()
	}
}

// AddComment adds a comment by user to issue or pull request n and returns its id.
func (s *Server) AddComment(n int, user, body string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustItem(n)
	return s.addComment(n, user, body).ID
}

func (s *Server) addComment(n int, user, body string) *Comment {
	now := s.now()
	cm := &Comment{ID: s.newID(), Issue: n, User: user, Body: body, CreatedAt: now, UpdatedAt: now}
	s.comments = append(s.comments, cm)
	return cm
}

// AddLabel seeds a repository label.
func (s *Server) AddLabel(l Label) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l.ID = s.newID()
	s.labels = append(s.labels, &l)
}

// AddCollaborators names the users who may be asked for reviews and
// assigned. While none is named, anyone may.
func (s *Server) AddCollaborators(logins ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range logins {
		s.collaborators[strings.ToLower(l)] = true
	}
}

// SetMergeable sets whether pull request pr can be merged.
func (s *Server) SetMergeable(pr int, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustPull(pr).Mergeable = &ok
}

// PushHead moves pull request pr's head (and its branch) to sha, as a
// push does of a commit by the pull request's author.
func (s *Server) PushHead(pr int, sha string) { s.PushCommit(pr, Commit{SHA: sha}) }

// PushCommit adds commit c to pull request pr and moves its head (and its
// branch) to it, as a push does. Its Author and Committer default to the
// pull request's author while it names neither login nor email; set them
// to who wrote it (the same login twice for a push of one's own commit),
// or only the emails for a commit GitHub matches to no account.
func (s *Server) PushCommit(pr int, c Commit) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.mustPull(pr)
	if c.Author == "" && c.Committer == "" && c.AuthorEmail == "" && c.CommitterEmail == "" {
		c.Author, c.Committer = p.Author, p.Author
	}
	if c.Date.IsZero() {
		c.Date = s.now()
	}
	p.Commits = append(s.pullCommits(p), c)
	p.HeadSHA = c.SHA
	if p.Head != "" {
		s.refs["heads/"+p.Head] = c.SHA
	}
}

package githubtest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

func (s *Server) pull(c *call) *item {
	it, ok := s.items[c.n]
	if !ok || !it.isPull {
		fail(c, http.StatusNotFound, "Not Found")
		return nil
	}
	return it
}

func (s *Server) getPull(c *call) {
	if it := s.pull(c); it != nil {
		writeJSON(c.w, http.StatusOK, s.pullJSON(it))
	}
}

func (s *Server) listFiles(c *call) {
	it := s.pull(c)
	if it == nil {
		return
	}
	var out []object
	for _, f := range paginate(s, c, it.Files) {
		o := object{"sha": blobSHA([]byte(f.Filename + f.Patch)), "filename": f.Filename, "status": f.Status,
			"additions": f.Additions, "deletions": f.Deletions, "changes": f.Additions + f.Deletions,
			"blob_url":     s.html("blob/%s/%s", it.HeadSHA, f.Filename),
			"raw_url":      s.html("raw/%s/%s", it.HeadSHA, f.Filename),
			"contents_url": s.api("contents/%s?ref=%s", f.Filename, it.HeadSHA), "patch": f.Patch}
		if f.PreviousFilename != "" {
			o["previous_filename"] = f.PreviousFilename
		}
		out = append(out, o)
	}
	writeJSON(c.w, http.StatusOK, orEmpty(out))
}

func (s *Server) listReviews(c *call) {
	it := s.pull(c)
	if it == nil {
		return
	}
	var out []object
	for _, r := range paginate(s, c, it.Reviews) {
		out = append(out, object{"id": r.ID, "node_id": nodeID("PRR_", r.ID), "user": s.userJSON(r.User),
			"body": r.Body, "state": r.State, "commit_id": r.CommitID, "submitted_at": stamp(r.SubmittedAt),
			"html_url":         s.html("pull/%d#pullrequestreview-%d", it.Number, r.ID),
			"pull_request_url": s.api("pulls/%d", it.Number),
			"_links": object{"html": object{"href": s.html("pull/%d#pullrequestreview-%d", it.Number, r.ID)},
				"pull_request": object{"href": s.api("pulls/%d", it.Number)}},
			"author_association": "MEMBER"})
	}
	writeJSON(c.w, http.StatusOK, orEmpty(out))
}

// listRequested answers {"users": [...], "teams": []}, all of them: the
// operation takes no per_page or page (a request with one fails the test).
func (s *Server) listRequested(c *call) {
	if it := s.pull(c); it != nil {
		writeJSON(c.w, http.StatusOK, object{"users": s.usersJSON(it.Requested), "teams": []object{}})
	}
}

func (s *Server) requestReviewers(c *call) {
	var in struct {
		Reviewers     []string `json:"reviewers"`
		TeamReviewers []string `json:"team_reviewers"`
	}
	it := s.pull(c)
	if it == nil || !s.decode(c, &in) {
		return
	}
	if len(in.TeamReviewers) > 0 {
		s.t.Errorf("githubtest: team reviewers are not modelled: %v", in.TeamReviewers)
	}
	if len(in.Reviewers) == 0 {
		fail(c, http.StatusUnprocessableEntity, "Invalid request.\n\nNo subschema in \"anyOf\" matched.")
		return
	}
	for _, login := range in.Reviewers {
		if strings.EqualFold(login, it.Author) {
			fail(c, http.StatusUnprocessableEntity, "Review cannot be requested from pull request author.")
			return
		}
		if len(s.collaborators) > 0 && !s.collaborators[strings.ToLower(login)] {
			fail(c, http.StatusUnprocessableEntity, "Reviews may only be requested from collaborators. "+
				"One or more of the users or teams you specified is not a collaborator of the "+Owner+"/"+Repo+" repository.")
			return
		}
	}
	for _, login := range in.Reviewers {
		if !slices.ContainsFunc(it.Requested, func(l string) bool { return strings.EqualFold(l, login) }) {
			it.Requested = append(it.Requested, login)
		}
	}
	writeJSON(c.w, http.StatusCreated, s.simplePullJSON(it))
}

func (s *Server) merge(c *call) {
	var in struct {
		CommitTitle   string  `json:"commit_title"`
		CommitMessage *string `json:"commit_message"`
		SHA           string  `json:"sha"`
		MergeMethod   string  `json:"merge_method"`
	}
	it := s.pull(c)
	if it == nil || !s.decode(c, &in) {
		return
	}
	if in.MergeMethod == "" {
		in.MergeMethod = "merge"
	}
	if !slices.Contains([]string{"merge", "squash", "rebase"}, in.MergeMethod) {
		invalid(c, ValidationError{Resource: "PullRequest", Field: "merge_method", Code: "invalid"})
		return
	}
	if it.Merged || it.State != "open" || (it.Mergeable != nil && !*it.Mergeable) {
		fail(c, http.StatusMethodNotAllowed, "Pull Request is not mergeable")
		return
	}
	if in.SHA != "" && in.SHA != it.HeadSHA {
		fail(c, http.StatusConflict, "Head branch was modified. Review and try the merge again.")
		return
	}
	msg := ""
	if in.CommitMessage != nil {
		msg = *in.CommitMessage
	}
	sha := fakeSHA(fmt.Sprintf("merge %d %s %s", it.Number, it.HeadSHA, in.MergeMethod))
	now := s.now()
	it.Merged, it.State, it.ClosedAt, it.UpdatedAt = true, "closed", now, now
	it.Merge = &Merge{SHA: sha, HeadSHA: in.SHA, Method: in.MergeMethod, Title: in.CommitTitle, Message: msg}
	tree := cloneTree(s.trees[s.refs["heads/"+it.Base]])
	for p, b := range s.trees[it.HeadSHA] {
		tree[p] = b
	}
	s.trees[sha] = tree
	s.refs["heads/"+it.Base] = sha
	writeJSON(c.w, http.StatusOK, object{"sha": sha, "merged": true, "message": "Pull Request successfully merged"})
}

func (s *Server) createPull(c *call) {
	var in struct {
		Title               string `json:"title"`
		Head                string `json:"head"`
		HeadRepo            string `json:"head_repo"`
		Base                string `json:"base"`
		Body                string `json:"body"`
		Issue               *int   `json:"issue"`
		MaintainerCanModify *bool  `json:"maintainer_can_modify"`
		Draft               bool   `json:"draft"`
	}
	if !s.decode(c, &in) {
		return
	}
	if in.Issue != nil {
		s.t.Errorf("githubtest: converting issue #%d to a pull request is not modelled", *in.Issue)
	}
	head := strings.TrimPrefix(in.Head, Owner+":")
	headSHA, okHead := s.refs["heads/"+head]
	baseSHA, okBase := s.refs["heads/"+in.Base]
	switch {
	case in.Title == "":
		invalid(c, ValidationError{Resource: "PullRequest", Field: "title", Code: "missing_field"})
	case !okBase:
		invalid(c, ValidationError{Resource: "PullRequest", Field: "base", Code: "invalid"})
	case !okHead:
		invalid(c, ValidationError{Resource: "PullRequest", Field: "head", Code: "invalid"})
	case s.openPullFrom(head, in.Base):
		invalid(c, ValidationError{Resource: "PullRequest", Code: "custom",
			Message: "A pull request already exists for " + Owner + ":" + head + "."})
	case headSHA == baseSHA:
		invalid(c, ValidationError{Resource: "PullRequest", Code: "custom",
			Message: "No commits between " + in.Base + " and " + head})
	default:
		p := Pull{Issue: Issue{Title: in.Title, Body: in.Body, Author: s.actor}, Head: head, HeadSHA: headSHA,
			Base: in.Base, BaseSHA: baseSHA, Draft: in.Draft, Files: diffTrees(s.trees[baseSHA], s.trees[headSHA])}
		n := s.addItem(&item{Pull: p, isPull: true})
		writeJSON(c.w, http.StatusCreated, s.pullJSON(s.items[n]))
	}
}

func (s *Server) openPullFrom(head, base string) bool {
	for _, it := range s.items {
		if it.isPull && it.State == "open" && it.Head == head && it.Base == base {
			return true
		}
	}
	return false
}

func orEmpty(v []object) []object {
	if v == nil {
		return []object{}
	}
	return v
}

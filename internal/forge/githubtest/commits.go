package githubtest

import "net/http"

// maxPullCommits is the most commits GitHub lists for a pull request.
const maxPullCommits = 250

// madeCommit is a commit the fake made (SetFile, the contents API).
type madeCommit struct {
	parent string
	Commit
}

// pullCommits are the commits p adds, oldest first: those seeded or
// pushed, else those the fake made on its head since its base, else one
// commit, the head, by its author.
func (s *Server) pullCommits(p *Pull) []Commit {
	if p.Commits != nil {
		return p.Commits
	}
	if cs := s.madeSince(p.BaseSHA, p.HeadSHA); len(cs) > 0 {
		return cs
	}
	return []Commit{{SHA: p.HeadSHA, Author: p.Author, Committer: p.Author, Message: p.Title, Date: p.CreatedAt}}
}

// madeSince lists the commits the fake made from base (excluded) to head,
// oldest first, or nil unless it made every one of them.
func (s *Server) madeSince(base, head string) []Commit {
	before := map[string]bool{}
	for sha := base; sha != "" && !before[sha]; sha = s.made[sha].parent {
		before[sha] = true
	}
	var out []Commit
	for sha := head; !before[sha]; {
		m, ok := s.made[sha]
		if !ok {
			return nil
		}
		out = append([]Commit{m.Commit}, out...)
		sha = m.parent
	}
	return out
}

// listCommits is GET /pulls/{n}/commits: the first 250 commits, paginated.
func (s *Server) listCommits(c *call) {
	it := s.pull(c)
	if it == nil {
		return
	}
	all := s.pullCommits(&it.Pull)
	all = all[:min(len(all), maxPullCommits)]
	parents := map[string]string{}
	for i, cm := range all {
		parents[cm.SHA] = it.BaseSHA
		if i > 0 {
			parents[cm.SHA] = all[i-1].SHA
		}
	}
	var out []object
	for _, cm := range paginate(s, c, all) {
		out = append(out, s.commitJSON(cm, parents[cm.SHA]))
	}
	writeJSON(c.w, http.StatusOK, orEmpty(out))
}

// commitJSON is a "commit" as the commit listings give it, without stats
// and files.
func (s *Server) commitJSON(cm Commit, parent string) object {
	sha := cm.SHA
	msg := cm.Message
	if msg == "" {
		msg = "Update"
	}
	date := cm.Date
	if date.IsZero() {
		date = s.now()
	}
	ident := func(login, email string) object {
		name := login
		switch {
		case email != "":
		case login != "":
			email = login + "@users.noreply.github.com"
		default:
			email = "nobody@example.com"
		}
		if name == "" {
			name = email
		}
		return object{"name": name, "email": email, "date": stamp(date)}
	}
	tree := fakeSHA("tree " + sha)
	return object{"url": s.api("commits/%s", sha), "sha": sha, "node_id": nodeID("C_", userID(sha)),
		"html_url": s.html("commit/%s", sha), "comments_url": s.api("commits/%s/comments", sha),
		"commit": object{"url": s.api("git/commits/%s", sha), "message": msg, "comment_count": 0,
			"author": ident(cm.Author, cm.AuthorEmail), "committer": ident(cm.Committer, cm.CommitterEmail),
			"tree": object{"sha": tree, "url": s.api("git/trees/%s", tree)},
			"verification": object{"verified": false, "reason": "unsigned", "signature": nil, "payload": nil,
				"verified_at": nil}},
		"author": s.userJSON(cm.Author), "committer": s.userJSON(cm.Committer),
		"parents": []object{{"sha": parent, "url": s.api("commits/%s", parent), "html_url": s.html("commit/%s", parent)}}}
}

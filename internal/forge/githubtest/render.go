package githubtest

import "time"

// The JSON shapes below follow the examples in GitHub's REST reference,
// keeping the fields go-github decodes and posture reads.

func (s *Server) repoJSON() object {
	id := userID(Owner + "/" + Repo)
	owner := s.userJSON(Owner)
	owner["type"] = "Organization"
	return object{"id": id, "node_id": nodeID("R_", id), "name": Repo, "full_name": Owner + "/" + Repo,
		"private": true, "owner": owner, "html_url": s.html(""), "url": s.repoURL(),
		"default_branch": DefaultBranch}
}

func (s *Server) repoURL() string {
	return s.srv.URL + Prefix + "repos/" + Owner + "/" + Repo
}

func (s *Server) issueJSON(it *item) object {
	n := it.Number
	o := object{"id": it.ID, "node_id": nodeID("I_", it.ID), "number": n, "title": it.Title, "body": it.Body,
		"state": it.State, "locked": false, "user": s.userJSON(it.Author), "labels": s.labelsJSON(it.Labels),
		"assignees": s.usersJSON(it.Assignees), "comments": s.commentCount(n),
		"url": s.api("issues/%d", n), "html_url": s.html("issues/%d", n),
		"repository_url": s.repoURL(), "labels_url": s.api("issues/%d/labels{/name}", n),
		"comments_url": s.api("issues/%d/comments", n), "events_url": s.api("issues/%d/events", n),
		"created_at": stamp(it.CreatedAt), "updated_at": stamp(it.UpdatedAt), "closed_at": optStamp(it.ClosedAt),
		"author_association": "MEMBER"}
	if len(it.Assignees) > 0 {
		o["assignee"] = s.userJSON(it.Assignees[0])
	}
	if it.isPull {
		o["html_url"] = s.html("pull/%d", n)
		o["pull_request"] = object{"url": s.api("pulls/%d", n), "html_url": s.html("pull/%d", n),
			"diff_url": s.html("pull/%d.diff", n), "patch_url": s.html("pull/%d.patch", n)}
	}
	return o
}

func (s *Server) pullJSON(it *item) object {
	n := it.Number
	mergeable := it.Mergeable == nil || *it.Mergeable
	state := "clean"
	if !mergeable {
		state = "dirty"
	}
	o := object{"id": it.ID, "node_id": nodeID("PR_", it.ID), "number": n, "state": it.State,
		"title": it.Title, "body": it.Body, "locked": false, "draft": it.Draft,
		"user": s.userJSON(it.Author), "labels": s.labelsJSON(it.Labels), "assignees": s.usersJSON(it.Assignees),
		"requested_reviewers": s.usersJSON(it.Requested), "requested_teams": []object{},
		"url": s.api("pulls/%d", n), "html_url": s.html("pull/%d", n), "issue_url": s.api("issues/%d", n),
		"diff_url": s.html("pull/%d.diff", n), "patch_url": s.html("pull/%d.patch", n),
		"commits_url": s.api("pulls/%d/commits", n), "comments_url": s.api("issues/%d/comments", n),
		"statuses_url": s.api("statuses/%s", it.HeadSHA),
		"created_at":   stamp(it.CreatedAt), "updated_at": stamp(it.UpdatedAt), "closed_at": optStamp(it.ClosedAt),
		"merged": it.Merged, "mergeable": mergeable, "mergeable_state": state, "merged_at": nil,
		"merge_commit_sha": nil, "comments": s.commentCount(n), "changed_files": len(it.Files),
		"author_association": "MEMBER",
		"head": object{"label": Owner + ":" + it.Head, "ref": it.Head, "sha": it.HeadSHA,
			"user": s.userJSON(Owner), "repo": s.repoJSON()},
		"base": object{"label": Owner + ":" + it.Base, "ref": it.Base, "sha": it.BaseSHA,
			"user": s.userJSON(Owner), "repo": s.repoJSON()}}
	if it.Merge != nil {
		o["merged_at"] = stamp(it.ClosedAt)
		o["merge_commit_sha"] = it.Merge.SHA
		o["merged_by"] = s.userJSON(s.actor)
	}
	return o
}

func (s *Server) labelJSON(l *Label) object {
	var desc any
	if l.Description != "" {
		desc = l.Description
	}
	return object{"id": l.ID, "node_id": nodeID("LA_", l.ID), "url": s.api("labels/%s", l.Name),
		"name": l.Name, "color": l.Color, "default": false, "description": desc}
}

func (s *Server) labelsJSON(names []string) []object {
	out := []object{}
	for _, n := range names {
		if l := s.findLabel(n); l != nil {
			out = append(out, s.labelJSON(l))
		}
	}
	return out
}

func (s *Server) commentJSON(cm *Comment) object {
	return object{"id": cm.ID, "node_id": nodeID("IC_", cm.ID), "url": s.api("issues/comments/%d", cm.ID),
		"html_url": s.html("issues/%d#issuecomment-%d", cm.Issue, cm.ID), "issue_url": s.api("issues/%d", cm.Issue),
		"body": cm.Body, "user": s.userJSON(cm.User), "created_at": stamp(cm.CreatedAt),
		"updated_at": stamp(cm.UpdatedAt), "author_association": "NONE"}
}

func (s *Server) statusJSON(st *Status) object {
	var desc, target any
	if st.Description != "" {
		desc = st.Description
	}
	if st.TargetURL != "" {
		target = st.TargetURL
	}
	return object{"id": st.ID, "node_id": nodeID("SC_", st.ID), "url": s.api("statuses/%s", st.SHA),
		"state": st.State, "description": desc, "target_url": target, "context": st.Context,
		"avatar_url": nil, "creator": s.userJSON(st.Creator),
		"created_at": stamp(st.CreatedAt), "updated_at": stamp(st.CreatedAt)}
}

func (s *Server) commentCount(n int) int {
	count := 0
	for _, cm := range s.comments {
		if cm.Issue == n {
			count++
		}
	}
	return count
}

func optStamp(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return stamp(t)
}

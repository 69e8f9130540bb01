package githubtest

import "time"

// The JSON shapes below are those of GitHub's OpenAPI description
// (openapi.go checks every answer against it): every field a schema
// requires, and none it does not list.

// issueJSON is an "issue"; a pull request's issue side has pull_request.
func (s *Server) issueJSON(it *item) object {
	n := it.Number
	o := object{"id": it.ID, "node_id": nodeID("I_", it.ID), "number": n, "title": it.Title, "body": it.Body,
		"state": it.State, "state_reason": nil, "locked": false, "active_lock_reason": nil,
		"user": s.userJSON(it.Author), "labels": s.labelsJSON(it.Labels, true),
		"assignee": nil, "assignees": s.usersJSON(it.Assignees), "milestone": nil, "comments": s.commentCount(n),
		"url": s.api("issues/%d", n), "html_url": s.html("issues/%d", n),
		"repository_url": s.repoURL(), "labels_url": s.api("issues/%d/labels{/name}", n),
		"comments_url": s.api("issues/%d/comments", n), "events_url": s.api("issues/%d/events", n),
		"created_at": stamp(it.CreatedAt), "updated_at": stamp(it.UpdatedAt), "closed_at": optStamp(it.ClosedAt),
		"author_association": "MEMBER"}
	if len(it.Assignees) > 0 {
		o["assignee"] = s.userJSON(it.Assignees[0])
	}
	if it.State == "closed" {
		o["state_reason"] = "completed"
	}
	if it.isPull {
		o["html_url"] = s.html("pull/%d", n)
		o["draft"] = it.Draft
		var merged any
		if it.Merge != nil {
			merged = stamp(it.ClosedAt)
		}
		o["pull_request"] = object{"url": s.api("pulls/%d", n), "html_url": s.html("pull/%d", n),
			"diff_url": s.html("pull/%d.diff", n), "patch_url": s.html("pull/%d.patch", n), "merged_at": merged}
	}
	return o
}

// pullJSON is a "pull-request", what GET /pulls/{n} and POST /pulls answer.
func (s *Server) pullJSON(it *item) object {
	o := s.simplePullJSON(it)
	mergeable := it.Mergeable == nil || *it.Mergeable
	state := "clean"
	if !mergeable {
		state = "dirty"
	}
	additions, deletions := 0, 0
	for _, f := range it.Files {
		additions += f.Additions
		deletions += f.Deletions
	}
	o["user"] = s.userJSON(it.Author)
	o["merged"], o["mergeable"], o["rebaseable"], o["mergeable_state"] = it.Merged, mergeable, mergeable, state
	o["merged_by"] = nil
	o["comments"], o["review_comments"], o["commits"] = s.commentCount(it.Number), 0, len(s.pullCommits(&it.Pull))
	o["additions"], o["deletions"], o["changed_files"] = additions, deletions, len(it.Files)
	o["maintainer_can_modify"] = false
	if it.Merge != nil {
		o["merged_by"] = s.userJSON(s.actor)
	}
	if !it.Merged && it.State == "open" {
		o["merge_commit_sha"] = fakeSHA("test merge " + it.HeadSHA + " " + it.BaseSHA)
	}
	return o
}

// simplePullJSON is a "pull-request-simple", what GET /pulls and POST
// /pulls/{n}/requested_reviewers answer: no merged, mergeable or counts.
func (s *Server) simplePullJSON(it *item) object {
	n := it.Number
	link := func(format string, a ...any) object { return object{"href": s.api(format, a...)} }
	o := object{"id": it.ID, "node_id": nodeID("PR_", it.ID), "number": n, "state": it.State,
		"title": it.Title, "body": it.Body, "locked": false, "active_lock_reason": nil, "draft": it.Draft,
		"user": s.userJSON(it.Author), "labels": s.labelsJSON(it.Labels, false),
		"assignee": nil, "assignees": s.usersJSON(it.Assignees), "milestone": nil,
		"requested_reviewers": s.usersJSON(it.Requested), "requested_teams": []object{},
		"url": s.api("pulls/%d", n), "html_url": s.html("pull/%d", n), "issue_url": s.api("issues/%d", n),
		"diff_url": s.html("pull/%d.diff", n), "patch_url": s.html("pull/%d.patch", n),
		"commits_url": s.api("pulls/%d/commits", n), "comments_url": s.api("issues/%d/comments", n),
		"review_comments_url": s.api("pulls/%d/comments", n), "review_comment_url": s.api("pulls/comments{/number}"),
		"statuses_url": s.api("statuses/%s", it.HeadSHA),
		"created_at":   stamp(it.CreatedAt), "updated_at": stamp(it.UpdatedAt), "closed_at": optStamp(it.ClosedAt),
		"merged_at": nil, "merge_commit_sha": nil, "author_association": "MEMBER", "auto_merge": nil,
		"head": object{"label": Owner + ":" + it.Head, "ref": it.Head, "sha": it.HeadSHA,
			"user": s.orgJSON(Owner), "repo": s.repoJSON()},
		"base": object{"label": Owner + ":" + it.Base, "ref": it.Base, "sha": it.BaseSHA,
			"user": s.orgJSON(Owner), "repo": s.repoJSON()},
		"_links": object{"self": link("pulls/%d", n), "html": object{"href": s.html("pull/%d", n)},
			"issue": link("issues/%d", n), "comments": link("issues/%d/comments", n),
			"review_comments": link("pulls/%d/comments", n), "review_comment": link("pulls/comments{/number}"),
			"commits": link("pulls/%d/commits", n), "statuses": link("statuses/%s", it.HeadSHA)}}
	if len(it.Assignees) > 0 {
		o["assignee"] = s.userJSON(it.Assignees[0])
	}
	if it.Merge != nil {
		o["merged_at"] = stamp(it.ClosedAt)
		o["merge_commit_sha"] = it.Merge.SHA
	}
	return o
}

// labelJSON is a "label". Its description is null when empty, except in a
// pull request's labels, whose schema makes it a string.
func (s *Server) labelJSON(l *Label, nullable bool) object {
	var desc any = l.Description
	if l.Description == "" && nullable {
		desc = nil
	}
	return object{"id": l.ID, "node_id": nodeID("LA_", l.ID), "url": s.api("labels/%s", l.Name),
		"name": l.Name, "color": l.Color, "default": false, "description": desc}
}

func (s *Server) labelsJSON(names []string, nullable bool) []object {
	out := []object{}
	for _, n := range names {
		if l := s.findLabel(n); l != nil {
			out = append(out, s.labelJSON(l, nullable))
		}
	}
	return out
}

// commentJSON is an "issue-comment".
func (s *Server) commentJSON(cm *Comment) object {
	return object{"id": cm.ID, "node_id": nodeID("IC_", cm.ID), "url": s.api("issues/comments/%d", cm.ID),
		"html_url": s.html("issues/%d#issuecomment-%d", cm.Issue, cm.ID), "issue_url": s.api("issues/%d", cm.Issue),
		"body": cm.Body, "user": s.userJSON(cm.User), "created_at": stamp(cm.CreatedAt),
		"updated_at": stamp(cm.UpdatedAt), "author_association": "NONE", "performed_via_github_app": nil}
}

// statusJSON is a "status".
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
		"avatar_url": s.srv.URL + "/avatars/u/" + st.Creator, "creator": s.userJSON(st.Creator),
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

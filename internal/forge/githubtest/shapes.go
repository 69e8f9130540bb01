package githubtest

import (
	"net/url"
	"strings"
	"time"
)

// The users and repositories inside GitHub's answers, with every field
// their schemas ("simple-user", "repository", "full-repository") require.

// repoCreated is when the repository was made, as GitHub reports it.
var repoCreated = time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)

// userJSON is a "simple-user"; nil (JSON null) for no login.
func (s *Server) userJSON(login string) object {
	if login == "" {
		return nil
	}
	id := userID(login)
	kind := "User"
	if strings.HasSuffix(login, "[bot]") {
		kind = "Bot"
	}
	api := s.srv.URL + Prefix + "users/" + url.PathEscape(login)
	return object{"login": login, "id": id, "node_id": nodeID("U_", id), "type": kind, "site_admin": false,
		"url": api, "html_url": s.srv.URL + "/" + url.PathEscape(login),
		"avatar_url": s.srv.URL + "/avatars/u/" + url.PathEscape(login), "gravatar_id": "",
		"followers_url": api + "/followers", "following_url": api + "/following{/other_user}",
		"gists_url": api + "/gists{/gist_id}", "starred_url": api + "/starred{/owner}{/repo}",
		"subscriptions_url": api + "/subscriptions", "organizations_url": api + "/orgs",
		"repos_url": api + "/repos", "events_url": api + "/events{/privacy}",
		"received_events_url": api + "/received_events", "user_view_type": "public"}
}

func (s *Server) usersJSON(logins []string) []object {
	out := []object{}
	for _, l := range logins {
		out = append(out, s.userJSON(l))
	}
	return out
}

// orgJSON is the "simple-user" of an organization.
func (s *Server) orgJSON(login string) object {
	o := s.userJSON(login)
	o["type"] = "Organization"
	return o
}

// repoJSON is the fake's repository as a "repository".
func (s *Server) repoJSON() object {
	o := s.someRepoJSON(Owner + "/" + Repo)
	o["owner"] = s.orgJSON(Owner)
	o["open_issues"], o["open_issues_count"] = s.openCount(), s.openCount()
	return o
}

// someRepoJSON is repository full ("owner/name") as a "repository",
// private, with nothing in it.
func (s *Server) someRepoJSON(full string) object {
	owner, name, _ := strings.Cut(full, "/")
	id := userID(full)
	api := s.srv.URL + Prefix + "repos/" + full
	html := s.srv.URL + "/" + full
	host := strings.TrimPrefix(strings.TrimPrefix(s.srv.URL, "http://"), "https://")
	o := object{"id": id, "node_id": nodeID("R_", id), "name": name, "full_name": full,
		"private": true, "visibility": "private", "owner": s.userJSON(owner), "html_url": html, "url": api,
		"description": nil, "fork": false, "homepage": nil, "language": nil, "mirror_url": nil, "license": nil,
		"default_branch": DefaultBranch, "archived": false, "disabled": false, "is_template": false,
		"has_issues": true, "has_projects": true, "has_wiki": true, "has_pages": false, "has_downloads": true,
		"forks": 0, "forks_count": 0, "stargazers_count": 0, "watchers": 0, "watchers_count": 0, "size": 0,
		"open_issues": 0, "open_issues_count": 0, "topics": []string{},
		"created_at": stamp(repoCreated), "updated_at": stamp(repoCreated), "pushed_at": stamp(repoCreated),
		"clone_url": html + ".git", "git_url": "git://" + host + "/" + full + ".git",
		"ssh_url": "git@" + host + ":" + full + ".git", "svn_url": html}
	for field, tail := range repoURLs {
		o[field] = api + tail
	}
	return o
}

// repoURLs are the API URLs (templates) of a repository, after its own.
var repoURLs = map[string]string{
	"archive_url": "/{archive_format}{/ref}", "assignees_url": "/assignees{/user}",
	"blobs_url": "/git/blobs{/sha}", "branches_url": "/branches{/branch}",
	"collaborators_url": "/collaborators{/collaborator}", "comments_url": "/comments{/number}",
	"commits_url": "/commits{/sha}", "compare_url": "/compare/{base}...{head}",
	"contents_url": "/contents/{+path}", "contributors_url": "/contributors",
	"deployments_url": "/deployments", "downloads_url": "/downloads", "events_url": "/events",
	"forks_url": "/forks", "git_commits_url": "/git/commits{/sha}", "git_refs_url": "/git/refs{/sha}",
	"git_tags_url": "/git/tags{/sha}", "hooks_url": "/hooks",
	"issue_comment_url": "/issues/comments{/number}", "issue_events_url": "/issues/events{/number}",
	"issues_url": "/issues{/number}", "keys_url": "/keys{/key_id}", "labels_url": "/labels{/name}",
	"languages_url": "/languages", "merges_url": "/merges", "milestones_url": "/milestones{/number}",
	"notifications_url": "/notifications{?since,all,participating}", "pulls_url": "/pulls{/number}",
	"releases_url": "/releases{/id}", "stargazers_url": "/stargazers", "statuses_url": "/statuses/{sha}",
	"subscribers_url": "/subscribers", "subscription_url": "/subscription", "tags_url": "/tags",
	"teams_url": "/teams", "trees_url": "/git/trees{/sha}",
}

// fullRepoJSON is the fake's repository as a "full-repository", what
// GET /repos/{owner}/{repo} answers.
func (s *Server) fullRepoJSON() object {
	o := s.repoJSON()
	o["has_discussions"], o["network_count"], o["subscribers_count"] = false, 0, 0
	return o
}

// openCount is how many issues and pull requests are open.
func (s *Server) openCount() int {
	n := 0
	for _, it := range s.items {
		if it.State == "" || it.State == "open" {
			n++
		}
	}
	return n
}

func (s *Server) repoURL() string {
	return s.srv.URL + Prefix + "repos/" + Owner + "/" + Repo
}

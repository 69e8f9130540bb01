package githubtest

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// route is one REST endpoint the fake models. pattern is relative to
// /repos/{owner}/{repo}/; "{n}" is an issue or pull request number, "{id}"
// a numeric id, "{name}" one path segment, "{path}" the rest of the path.
// op is the operationId of the endpoint in GitHub's OpenAPI description
// (testdata/github): every request and answer is checked against it.
type route struct {
	method, pattern string
	op              string
	query           []string // the query parameters it models
	handle          func(s *Server, c *call)
}

// call is a request matched to a route, with its path parameters.
type call struct {
	w    http.ResponseWriter
	r    *http.Request
	body []byte
	n    int
	id   int64
	name string
	path string
}

var (
	pageQuery   = []string{"per_page", "page"}
	issuesQuery = []string{"per_page", "page", "state", "labels", "creator", "assignee", "sort", "direction"}
)

// routes lists every endpoint the fake serves.
var routes = []route{
	{"GET", "pulls/{n}", "pulls/get", nil, (*Server).getPull},
	{"POST", "pulls", "pulls/create", nil, (*Server).createPull},
	{"GET", "pulls/{n}/files", "pulls/list-files", pageQuery, (*Server).listFiles},
	{"GET", "pulls/{n}/reviews", "pulls/list-reviews", pageQuery, (*Server).listReviews},
	{"GET", "pulls/{n}/commits", "pulls/list-commits", pageQuery, (*Server).listCommits},
	{"GET", "pulls/{n}/requested_reviewers", "pulls/list-requested-reviewers", nil, (*Server).listRequested},
	{"POST", "pulls/{n}/requested_reviewers", "pulls/request-reviewers", nil, (*Server).requestReviewers},
	{"PUT", "pulls/{n}/merge", "pulls/merge", nil, (*Server).merge},
	{"GET", "issues", "issues/list-for-repo", issuesQuery, (*Server).listIssues},
	{"POST", "issues", "issues/create", nil, (*Server).createIssue},
	{"GET", "issues/{n}", "issues/get", nil, (*Server).getIssue},
	{"PATCH", "issues/{n}", "issues/update", nil, (*Server).editIssue},
	{"GET", "issues/{n}/comments", "issues/list-comments", pageQuery, (*Server).listComments},
	{"POST", "issues/{n}/comments", "issues/create-comment", nil, (*Server).createComment},
	{"PATCH", "issues/comments/{id}", "issues/update-comment", nil, (*Server).editComment},
	{"POST", "issues/{n}/labels", "issues/add-labels", nil, (*Server).addIssueLabels},
	{"PUT", "issues/{n}/labels", "issues/set-labels", nil, (*Server).setIssueLabels},
	{"DELETE", "issues/{n}/labels", "issues/remove-all-labels", nil, (*Server).removeIssueLabels},
	{"DELETE", "issues/{n}/labels/{name}", "issues/remove-label", nil, (*Server).removeIssueLabel},
	{"GET", "labels", "issues/list-labels-for-repo", pageQuery, (*Server).listLabels},
	{"GET", "labels/{name}", "issues/get-label", nil, (*Server).getLabel},
	{"POST", "labels", "issues/create-label", nil, (*Server).createLabel},
	{"PATCH", "labels/{name}", "issues/update-label", nil, (*Server).editLabel},
	{"POST", "statuses/{name}", "repos/create-commit-status", nil, (*Server).createStatus},
	{"GET", "commits/{name}/statuses", "repos/list-commit-statuses-for-ref", pageQuery, (*Server).listStatuses},
	{"GET", "git/ref/{path}", "git/get-ref", nil, (*Server).getRef},
	{"POST", "git/refs", "git/create-ref", nil, (*Server).createRef},
	{"GET", "contents/{path}", "repos/get-content", []string{"ref"}, (*Server).getContents},
	{"PUT", "contents/{path}", "repos/create-or-update-file-contents", nil, (*Server).putContents},
}

// match finds the route for method and the escaped API path.
func match(method, api string) (*route, *call) {
	rest, ok := strings.CutPrefix(api, "/repos/"+Owner+"/"+Repo+"/")
	if !ok {
		rest = api // matched only by the patterns that start with "/" (settings.go)
	}
	segs := strings.Split(rest, "/")
	for i := range routes {
		rt := &routes[i]
		if rt.method != method {
			continue
		}
		if c, ok := matchPattern(strings.Split(rt.pattern, "/"), segs); ok {
			return rt, c
		}
	}
	return nil, nil
}

func matchPattern(pat, segs []string) (*call, bool) {
	c := &call{}
	for i, p := range pat {
		if p == "{path}" {
			if i >= len(segs) {
				return nil, false
			}
			parts := make([]string, 0, len(segs)-i)
			for _, s := range segs[i:] {
				u, err := url.PathUnescape(s)
				if err != nil || u == "" {
					return nil, false
				}
				parts = append(parts, u)
			}
			c.path = strings.Join(parts, "/")
			return c, true
		}
		if i >= len(segs) {
			return nil, false
		}
		seg, err := url.PathUnescape(segs[i])
		if err != nil {
			return nil, false
		}
		switch p {
		case "{n}":
			n, err := strconv.Atoi(seg)
			if err != nil || n <= 0 {
				return nil, false
			}
			c.n = n
		case "{id}":
			id, err := strconv.ParseInt(seg, 10, 64)
			if err != nil {
				return nil, false
			}
			c.id = id
		case "{name}":
			if seg == "" {
				return nil, false
			}
			c.name = seg
		default:
			if p != seg {
				return nil, false
			}
		}
	}
	return c, len(pat) == len(segs)
}

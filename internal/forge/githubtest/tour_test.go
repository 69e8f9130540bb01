package githubtest

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestEveryRouteAnswersInGitHubsShapes asks every route, on a fake seeded
// with something of everything, for its answers and its refusals: the
// check against GitHub's OpenAPI description (openapi.go) fails the test
// on any answer GitHub would not give, including the routes posture's
// other tests seldom reach.
func TestEveryRouteAnswersInGitHubsShapes(t *testing.T) {
	s := New(t)
	s.RequireToken("tok")
	s.AddCollaborators("boss", "e1001")
	s.AddLabel(Label{Name: "posture:pending", Color: "fbca04", Description: "Waiting for review"})
	s.SetFile(DefaultBranch, "reports/2026-11/d1.yaml", []byte("a: 1\n"))
	head := s.SetFile("report/e1001", "reports/2026-11/d2.yaml", []byte("b: 2\n"))
	pr := s.AddPull(Pull{Issue: Issue{Title: "Report", Author: "e1001", Labels: []string{"posture:pending"},
		Assignees: []string{"boss"}}, Head: "report/e1001", Requested: []string{"boss"},
		Files:   []File{{Filename: "reports/2026-11/d2.yaml", Additions: 1, Patch: "@@ -0,0 +1 @@\n+b: 2"}},
		Reviews: []Review{{User: "boss", Body: "ok"}}})
	merged := s.AddPull(Pull{Issue: Issue{Title: "Old"}, Head: "old"})
	unattributed := s.AddPull(Pull{Issue: Issue{Title: "Pushed", Author: "e1001"}, Head: "pushed"})
	s.PushCommit(unattributed, Commit{SHA: fakeSHA("pushed"), AuthorEmail: "me@laptop.local", CommitterEmail: "me@laptop.local"})
	issue := s.AddIssue(Issue{Title: "Monthly report", Assignees: []string{"e1001"}, Labels: []string{"report/2026-11"}})
	comment := s.AddComment(issue, "posture[bot]", "<!-- posture:status -->")
	ruleset := s.AddRuleset(Ruleset{Name: "posture", BypassActors: []BypassActor{{ActorID: 5, ActorType: "RepositoryRole"}},
		Rules: []Rule{{Type: "deletion"}, StatusChecksRule(1, "posture/approvals"), PullRequestRule(true)}})
	s.AddEnvironment(Environment{Name: "posture", Branches: "custom", Policies: []BranchPolicy{{Name: "main"}},
		Secrets: []string{"POSTURE_APP_KEY"}, Variables: map[string]string{"POSTURE_APP_CLIENT_ID": "Iv23"}})
	s.AddEnvironment(Environment{Name: "protected", Branches: "protected"})
	s.SetRepoSecrets("DEPLOY_KEY")
	s.SetOrgSecrets("NPM_TOKEN", "SLACK_WEBHOOK")
	s.SetActions(Actions{Allowed: "selected", GitHubOwned: true, Patterns: []string{"acme/*"}})
	s.ProtectBranches(DefaultBranch)
	s.SetInstallation("ghs_install", Owner+"/"+Repo)
	s.AddApp(App{Slug: "acme-posture"})
	blob := blobSHA([]byte("a: 1\n"))
	content := base64.StdEncoding.EncodeToString([]byte("c: 3\n"))

	repo := "repos/" + Owner + "/" + Repo + "/"
	for _, tc := range []struct {
		method, path, body string
		status             int
	}{
		{"GET", "repos/" + Owner + "/" + Repo, "", 200},
		{"GET", repo + fmt.Sprintf("pulls/%d", pr), "", 200},
		{"GET", repo + "pulls/999", "", 404},
		{"GET", repo + "pulls?state=all&head=" + Owner + ":report/e1001&base=main&per_page=100", "", 200},
		{"GET", repo + fmt.Sprintf("pulls/%d/files?per_page=100", pr), "", 200},
		{"GET", repo + fmt.Sprintf("pulls/%d/reviews?per_page=100", pr), "", 200},
		{"GET", repo + fmt.Sprintf("pulls/%d/commits?per_page=100", pr), "", 200},
		{"GET", repo + fmt.Sprintf("pulls/%d/commits?per_page=100", unattributed), "", 200},
		{"GET", repo + "pulls/999/commits", "", 404},
		{"GET", repo + fmt.Sprintf("pulls/%d/requested_reviewers", pr), "", 200},
		{"POST", repo + fmt.Sprintf("pulls/%d/requested_reviewers", pr), `{"reviewers":["boss"]}`, 201},
		{"POST", repo + fmt.Sprintf("pulls/%d/requested_reviewers", pr), `{"reviewers":["e1001"]}`, 422},
		{"PUT", repo + fmt.Sprintf("pulls/%d/merge", pr), `{"sha":"` + strings.Repeat("0", 40) + `","merge_method":"merge"}`, 409},
		{"PUT", repo + fmt.Sprintf("pulls/%d/merge", merged), `{"merge_method":"merge","commit_title":"Old"}`, 200},
		{"PUT", repo + fmt.Sprintf("pulls/%d/merge", merged), `{"merge_method":"merge"}`, 405},
		{"POST", repo + "pulls", `{"title":"New","head":"report/e1001","base":"main","body":"b"}`, 422}, // one is open
		{"POST", repo + "git/refs", `{"ref":"refs/heads/report/e2","sha":"` + head + `"}`, 201},
		{"POST", repo + "git/refs", `{"ref":"refs/heads/report/e2","sha":"` + head + `"}`, 422},
		{"GET", repo + "git/ref/heads/report/e2", "", 200},
		{"GET", repo + "git/ref/heads/nothing", "", 404},
		{"PUT", repo + "contents/reports/2026-11/d3.yaml", `{"message":"Add","content":"` + content + `","branch":"report/e2"}`, 201},
		{"POST", repo + "pulls", `{"title":"E2","head":"report/e2","base":"main","body":"b"}`, 201},
		{"PUT", repo + "contents/reports/2026-11/d1.yaml", `{"message":"Edit","content":"` + content + `","sha":"` + blob + `"}`, 200},
		{"PUT", repo + "contents/reports/2026-11/d1.yaml", `{"message":"Edit","content":"` + content + `","sha":"` + blob + `"}`, 409},
		{"GET", repo + "contents/reports/2026-11/d1.yaml?ref=main", "", 200},
		{"GET", repo + "contents/reports?ref=main", "", 200},
		{"GET", repo + "contents/nothing.yaml?ref=main", "", 404},
		{"GET", repo + "issues?state=all&labels=report/2026-11&assignee=e1001&per_page=100", "", 200},
		{"POST", repo + "issues", `{"title":"New","body":"b","assignees":["e1001"],"labels":["report/2026-11"]}`, 201},
		{"GET", repo + fmt.Sprintf("issues/%d", issue), "", 200},
		{"GET", repo + fmt.Sprintf("issues/%d", pr), "", 200},
		{"PATCH", repo + fmt.Sprintf("issues/%d", issue), `{"state":"closed","body":"done"}`, 200},
		{"GET", repo + fmt.Sprintf("issues/%d/comments?per_page=100", issue), "", 200},
		{"POST", repo + fmt.Sprintf("issues/%d/comments", issue), `{"body":"hi"}`, 201},
		{"PATCH", repo + fmt.Sprintf("issues/comments/%d", comment), `{"body":"edited"}`, 200},
		{"POST", repo + fmt.Sprintf("issues/%d/labels", pr), `{"labels":["posture:approved"]}`, 200},
		{"PUT", repo + fmt.Sprintf("issues/%d/labels", pr), `{"labels":["posture:pending"]}`, 200},
		{"DELETE", repo + fmt.Sprintf("issues/%d/labels/posture:pending", pr), "", 200},
		{"DELETE", repo + fmt.Sprintf("issues/%d/labels/posture:pending", pr), "", 404},
		{"DELETE", repo + fmt.Sprintf("issues/%d/labels", issue), "", 204},
		{"GET", repo + "labels?per_page=100", "", 200},
		{"GET", repo + "labels/posture:pending", "", 200},
		{"GET", repo + "labels/nothing", "", 404},
		{"POST", repo + "labels", `{"name":"posture:rejected","color":"b60205","description":"Refused"}`, 201},
		{"POST", repo + "labels", `{"name":"posture:rejected","color":"b60205"}`, 422},
		{"PATCH", repo + "labels/posture:rejected", `{"color":"d93f0b","description":""}`, 200},
		{"POST", repo + "statuses/" + head, `{"state":"pending","context":"posture/approvals","description":"waiting","target_url":"https://ci.example/1"}`, 201},
		{"POST", repo + "statuses/main", `{"state":"pending","context":"posture/approvals"}`, 422},
		{"GET", repo + "commits/" + head + "/statuses?per_page=100", "", 200},
		{"GET", repo + "rulesets?includes_parents=true&per_page=100", "", 200},
		{"GET", repo + fmt.Sprintf("rulesets/%d?includes_parents=true", ruleset), "", 200},
		{"GET", repo + "rulesets/1?includes_parents=true", "", 404},
		{"GET", repo + "environments/posture", "", 200},
		{"GET", repo + "environments/protected", "", 200},
		{"GET", repo + "environments/nothing", "", 404},
		{"GET", repo + "environments/posture/deployment-branch-policies?per_page=100", "", 200},
		{"GET", repo + "environments/posture/secrets?per_page=100", "", 200},
		{"GET", repo + "environments/posture/variables?per_page=30", "", 200},
		{"GET", repo + "actions/secrets?per_page=100", "", 200},
		{"GET", repo + "actions/organization-secrets?per_page=1&page=2", "", 200},
		{"GET", repo + "branches?protected=true&per_page=100", "", 200},
		{"GET", repo + "actions/permissions", "", 200},
		{"GET", repo + "actions/permissions/selected-actions", "", 200},
		{"GET", repo + "actions/permissions/workflow", "", 200},
		{"GET", "apps/acme-posture", "", 200},
		{"GET", "apps/nobody", "", 404},
	} {
		if got := send(t, s, "tok", tc.method, tc.path, tc.body); got != tc.status {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.path, got, tc.status)
		}
	}
	if got := send(t, s, "ghs_install", "GET", "installation/repositories?per_page=100", ""); got != 200 {
		t.Errorf("GET installation/repositories: %d", got)
	}

	asked := map[string]bool{}
	for _, c := range s.Log() {
		if rt, _ := match(c.Method, apiPath(c)); rt != nil {
			asked[rt.method+" "+rt.pattern] = true
		}
	}
	for _, rt := range routes {
		if !asked[rt.method+" "+rt.pattern] {
			t.Errorf("no request asked %s %s (%s)", rt.method, rt.pattern, rt.op)
		}
	}
}

// apiPath is the escaped API path of a logged call.
func apiPath(c Call) string {
	if strings.HasPrefix(c.RawPath, "/") {
		return c.RawPath
	}
	return "/repos/" + Owner + "/" + Repo + "/" + c.RawPath
}

// send sends a request with token to the fake and returns the status.
func send(t *testing.T, s *Server, token, method, path, body string) int {
	t.Helper()
	req, err := http.NewRequest(method, s.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

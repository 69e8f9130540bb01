package githubtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
)

// TestRoutesAreGitHubOperations holds the fake's routes and the trimmed
// description together: each route is an operation of GitHub's, with its
// method, a path GitHub's template matches and only query parameters the
// operation takes; the description holds no operation no route serves.
func TestRoutesAreGitHubOperations(t *testing.T) {
	ops, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	served := map[string]bool{}
	for _, rt := range routes {
		served[rt.op] = true
		op, err := lookup(rt.op)
		if err != nil {
			t.Errorf("%s %s: %v", rt.method, rt.pattern, err)
			continue
		}
		if op.route.Method != rt.method {
			t.Errorf("%s %s is %s, whose method is %s", rt.method, rt.pattern, op, op.route.Method)
		}
		api := samplePath(rt.pattern)
		if _, ok := pathParams(op.route.Path, api); !ok {
			t.Errorf("%s %s: path %s is not %s's %s", rt.method, rt.pattern, api, op.id, op.route.Path)
		}
		for _, q := range rt.query {
			if !op.takes(q) {
				t.Errorf("%s %s models query parameter %q, which %s does not take", rt.method, rt.pattern, q, op)
			}
		}
	}
	for id := range ops {
		if !served[id] {
			t.Errorf("testdata/github/%s holds %s, which no route serves: run TestTrimOpenAPI", specFile, id)
		}
	}
}

// samplePath is an API path that route pattern p matches.
func samplePath(p string) string {
	r := strings.NewReplacer("{n}", "7", "{id}", "42", "{name}", "a%2Fb", "{path}", "reports/2026-11/d.yaml")
	if strings.HasPrefix(p, "/") {
		return r.Replace(p)
	}
	return "/repos/" + Owner + "/" + Repo + "/" + r.Replace(p)
}

func TestSpecProvenance(t *testing.T) {
	var doc struct {
		OpenAPI string `json:"openapi"`
		Info    struct {
			Source struct{ Package string } `json:"x-posture-source"`
		} `json:"info"`
	}
	if err := json.Unmarshal(specJSON, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.0.") || !strings.HasPrefix(doc.Info.Source.Package, "@octokit/openapi@") {
		t.Errorf("openapi %q from %q, want 3.0.x from @octokit/openapi@<version>", doc.OpenAPI, doc.Info.Source.Package)
	}
}

// TestCheckRequest shows what the check says of requests GitHub's
// description refuses.
func TestCheckRequest(t *testing.T) {
	repo := "/repos/" + Owner + "/" + Repo + "/"
	for _, tc := range []struct {
		name, op, method, api, body string
		want                        string // "" for a request that is right
	}{
		{"right", "issues/add-labels", "POST", repo + "issues/3/labels", `{"labels":["a"]}`, ""},
		{"a bare array of labels", "issues/add-labels", "POST", repo + "issues/3/labels", `["a"]`,
			`body: /: value doesn't match any schema from "oneOf" (/: value must be an object)`},
		{"per_page where there is none", "pulls/list-requested-reviewers", "GET", repo + "pulls/3/requested_reviewers?per_page=100", "",
			`query parameter "per_page" is not one the operation takes`},
		{"a state GitHub does not know", "repos/create-commit-status", "POST", repo + "statuses/" + strings.Repeat("a", 40),
			`{"state":"done","context":"posture/approvals"}`, "body: /state: value is not one of the allowed values"},
		{"a field GitHub does not take", "issues/create", "POST", repo + "issues", `{"title":"t","colour":"red"}`,
			`body: /: property "colour" is unsupported`},
		{"a number that is not one", "issues/get", "GET", repo + "issues/x", "", `path parameter "issue_number"`},
		{"another operation's path", "issues/get", "GET", repo + "pulls/3", "", "is not /repos/{owner}/{repo}/issues/{issue_number}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			op, err := lookup(tc.op)
			if err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest(tc.method, "http://fake"+tc.api, strings.NewReader(tc.body))
			if tc.body != "" {
				r.Header.Set("Content-Type", "application/json")
			}
			path, _, _ := strings.Cut(tc.api, "?")
			_, problems := op.checkRequest(r, path, []byte(tc.body))
			check(t, problems, tc.want)
		})
	}
}

// TestCheckAnswer shows what the check says of answers GitHub would not
// give: the fake's old shapes among them.
func TestCheckAnswer(t *testing.T) {
	s := New(t)
	n := s.AddPull(Pull{Issue: Issue{Title: "Report", Labels: []string{"posture:pending"}}, Head: "report/e1"})
	s.mu.Lock()
	full, simple, issue := s.pullJSON(s.items[n]), s.simplePullJSON(s.items[n]), s.issueJSON(s.items[n])
	s.mu.Unlock()
	noMilestone := clone(issue)
	delete(noMilestone, "milestone")
	repo := "/repos/" + Owner + "/" + Repo + "/"
	for _, tc := range []struct {
		name, op, method, api string
		status                int
		body                  any
		want                  string
	}{
		{"a pull request", "pulls/get", "GET", repo + "pulls/1", 200, full, ""},
		{"a simple pull request", "pulls/request-reviewers", "POST", repo + "pulls/1/requested_reviewers", 201, simple, ""},
		{"a full pull request where GitHub's is simpler", "pulls/request-reviewers", "POST", repo + "pulls/1/requested_reviewers",
			201, full, `body: /: property "merged" is unsupported`},
		{"a required field left out", "issues/get", "GET", repo + "issues/1", 200, noMilestone,
			`body: /milestone: property "milestone" is missing`},
		{"a status the operation does not have", "issues/get", "GET", repo + "issues/1", 418,
			errorBody("I'm a teapot", ""), "status is not supported"},
		{"a 404 on any endpoint", "pulls/list-requested-reviewers", "GET", repo + "pulls/1/requested_reviewers", 404,
			errorBody("Not Found", "https://docs.github.com/rest"), ""},
		{"an error that is not GitHub's", "pulls/list-requested-reviewers", "GET", repo + "pulls/1/requested_reviewers", 404,
			object{"error": "not found"}, `answer 404 as basic-error: /: property "error" is unsupported`},
		{"a 409 that is both of GitHub's errors", "repos/create-or-update-file-contents", "PUT", repo + "contents/a.txt", 409,
			errorBody("a.txt does not match 1234", "https://docs.github.com/rest"), ""},
		{"a date that is not one", "issues/get", "GET", repo + "issues/1", 200, with(issue, "created_at", "2026-11-02"),
			"body: /created_at: string doesn't match the format \"date-time\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			op, err := lookup(tc.op)
			if err != nil {
				t.Fatal(err)
			}
			body := map[string]string{"POST": `{"reviewers":["boss"]}`,
				"PUT": `{"message":"m","content":"YQ==","sha":"1234"}`}[tc.method]
			r := httptest.NewRequest(tc.method, "http://fake"+tc.api, strings.NewReader(body))
			if body != "" {
				r.Header.Set("Content-Type", "application/json")
			}
			in, problems := op.checkRequest(r, tc.api, []byte(body))
			if len(problems) > 0 {
				t.Fatalf("request: %q", problems)
			}
			h := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
			check(t, op.checkAnswer(in, tc.status, h, []byte(marshal(tc.body))), tc.want)
		})
	}
}

// TestEveryAnswerIsChecked shows the check at work in the server, on a
// request and on a fault's answer: the test fails with the operation, the
// JSON pointer and the reason.
func TestEveryAnswerIsChecked(t *testing.T) {
	rec := &errRecorder{TB: t}
	s := New(rec)
	n := s.AddIssue(Issue{Title: "x"})
	s.Inject(Fault{Method: "GET", Path: fmt.Sprintf("issues/%d", n), Status: 200, Body: `{"number": 1}`})
	get, _ := http.NewRequest("GET", s.URL()+fmt.Sprintf("repos/%s/%s/issues/%d", Owner, Repo, n), nil)
	post, _ := http.NewRequest("POST", s.URL()+fmt.Sprintf("repos/%s/%s/issues/%d/labels", Owner, Repo, n), strings.NewReader(`["a"]`))
	post.Header.Set("Content-Type", "application/json")
	for _, r := range []*http.Request{get, post} {
		resp, err := s.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	errs := rec.errs()
	if len(errs) != 2 ||
		!strings.Contains(errs[0], "the answer is not what GitHub's OpenAPI description of issues/get (GET /repos/{owner}/{repo}/issues/{issue_number}) says") ||
		!strings.Contains(errs[0], `answer 200: body: /id: property "id" is missing`) ||
		!strings.Contains(errs[1], "the request is not what GitHub's OpenAPI description of issues/add-labels") ||
		!strings.Contains(errs[1], "/: value must be an object") {
		t.Errorf("test errors:\n%s", strings.Join(errs, "\n"))
	}
}

// check fails the test unless problems are none (want "") or one says want.
func check(t *testing.T, problems []string, want string) {
	t.Helper()
	if want == "" && len(problems) > 0 ||
		want != "" && !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, want) }) {
		t.Errorf("problems:\n\t%s\nwant %q", strings.Join(problems, "\n\t"), want)
	}
}

func clone(o object) object {
	out := object{}
	for k, v := range o {
		out[k] = v
	}
	return out
}

func with(o object, k string, v any) object {
	o = clone(o)
	o[k] = v
	return o
}

// errRecorder is a testing.TB that keeps Errorf calls instead of failing.
type errRecorder struct {
	testing.TB
	mu   sync.Mutex
	list []string
}

func (r *errRecorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.list = append(r.list, fmt.Sprintf(format, args...))
}

func (r *errRecorder) errs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.list)
}

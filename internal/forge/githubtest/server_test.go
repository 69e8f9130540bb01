package githubtest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/posture-dev/posture/internal/forge/githubtest"
)

// recorder is a testing.TB that keeps Errorf calls instead of failing, to
// show that the fake fails the test it serves.
type recorder struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recorder) Helper() {}

func (r *recorder) errors() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errs...)
}

// do sends a request to the fake and returns the status and body.
func do(t *testing.T, srv *githubtest.Server, method, url, body string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func TestUnexpectedRequestsFailTheTest(t *testing.T) {
	repo := "repos/" + githubtest.Owner + "/" + githubtest.Repo + "/"
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		why                      string
	}{
		{"unknown route", "GET", repo + "branches", "", 404, "no such route"},
		{"wrong method", "DELETE", repo + "issues/1", "", 404, "no such route"},
		{"another repository", "GET", "repos/acme/other/issues", "", 404, "no such route"},
		{"query not modelled", "GET", repo + "issues?milestone=3", "", 404, "milestone is not modelled"},
		{"unknown body field", "POST", repo + "issues", `{"title":"x","colour":"red"}`, 400, "colour"},
		{"body not JSON", "POST", repo + "labels", `name=x`, 400, "invalid character"},
		{"outside the prefix", "GET", "/" + repo + "issues", "", 404, "outside the API prefix"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			srv := githubtest.New(rec)
			url := srv.URL() + tc.path
			if strings.HasPrefix(tc.path, "/") { // from the server root, as an absolute-URL bug would
				url = strings.TrimSuffix(srv.URL(), githubtest.Prefix) + tc.path
			}
			status, _, _ := do(t, srv, tc.method, url, tc.body)
			if status != tc.status {
				t.Errorf("status %d, want %d", status, tc.status)
			}
			// A body GitHub would refuse fails the test twice: by GitHub's
			// OpenAPI description (openapi.go) and by the handler.
			errs := rec.errors()
			if len(errs) == 0 || len(errs) > 2 || !slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, tc.why) }) {
				t.Errorf("test errors = %q, want one or two, saying %q", errs, tc.why)
			}
		})
	}
}

func TestRequireToken(t *testing.T) {
	rec := &recorder{TB: t}
	srv := githubtest.New(rec)
	srv.RequireToken("secret")
	status, _, _ := do(t, srv, "GET", srv.URL()+"repos/acme/device-reports/labels", "")
	if status != 401 || len(rec.errors()) != 1 {
		t.Errorf("status %d, errors %q; want 401 and one error", status, rec.errors())
	}
}

func TestPaginationLinks(t *testing.T) {
	srv := githubtest.New(t)
	for i := range 5 {
		srv.AddLabel(githubtest.Label{Name: fmt.Sprint("l", i), Color: "ededed"})
	}
	base := srv.URL() + "repos/acme/device-reports/labels?per_page=2"

	_, h, body := do(t, srv, "GET", base, "")
	link := h.Get("Link")
	for _, want := range []string{srv.URL() + "repos/acme/device-reports/labels?page=2&per_page=2>; rel=\"next\"",
		"page=3&per_page=2>; rel=\"last\""} {
		if !strings.Contains(link, want) {
			t.Errorf("Link %q lacks %q", link, want)
		}
	}
	var page []map[string]any
	if err := json.Unmarshal([]byte(body), &page); err != nil || len(page) != 2 || page[0]["name"] != "l0" {
		t.Errorf("first page = %s", body)
	}
	_, h, body = do(t, srv, "GET", base+"&page=3", "")
	if link := h.Get("Link"); strings.Contains(link, `rel="next"`) || !strings.Contains(link, `rel="prev"`) {
		t.Errorf("last page Link %q", link)
	}
	if err := json.Unmarshal([]byte(body), &page); err != nil || len(page) != 1 {
		t.Errorf("last page = %s", body)
	}
}

func TestFaults(t *testing.T) {
	srv := githubtest.New(t)
	n := srv.AddIssue(githubtest.Issue{Title: "x"})
	comments := fmt.Sprintf("%srepos/acme/device-reports/issues/%d/comments", srv.URL(), n)
	srv.FailNext("POST", "issues/*/comments", 2, 503, nil, "")
	srv.Inject(githubtest.Lost("POST", "/repos/*/*/issues/*/comments", 502))

	var statuses []int
	for range 4 {
		status, _, _ := do(t, srv, "POST", comments, `{"body":"hi"}`)
		statuses = append(statuses, status)
	}
	if fmt.Sprint(statuses) != "[503 503 502 201]" {
		t.Errorf("statuses = %v, want [503 503 502 201]", statuses)
	}
	if got := len(srv.Comments(n)); got != 2 {
		t.Errorf("%d comments, want 2 (the lost one and the last)", got)
	}
	if got := srv.Calls("POST", "issues/*/comments"); got != 4 {
		t.Errorf("Calls = %d, want 4", got)
	}
}

func TestValidationFailedShape(t *testing.T) {
	srv := githubtest.New(t)
	labels := srv.URL() + "repos/acme/device-reports/labels"
	if status, _, _ := do(t, srv, "POST", labels, `{"name":"posture:approved","color":"0e8a16"}`); status != 201 {
		t.Fatalf("create: %d", status)
	}
	status, _, body := do(t, srv, "POST", labels, `{"name":"POSTURE:approved"}`)
	var got struct {
		Message string `json:"message"`
		Errors  []struct {
			Resource, Field, Code string
		} `json:"errors"`
		DocumentationURL string `json:"documentation_url"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if status != 422 || got.Message != "Validation Failed" || len(got.Errors) != 1 ||
		got.Errors[0].Code != "already_exists" || got.Errors[0].Resource != "Label" || got.DocumentationURL == "" {
		t.Errorf("%d %s", status, body)
	}
}

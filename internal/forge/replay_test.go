package forge

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/posture-dev/posture/internal/forge/githubtest"
)

// exchange is one recorded HTTP exchange of @octokit/fixtures
// (testdata/octokit/README.md).
type exchange struct {
	Method   string          `json:"method"`
	Path     string          `json:"path"`
	Body     json.RawMessage `json:"body"`
	Status   int             `json:"status"`
	Response json.RawMessage `json:"response"`
	Headers  map[string]any  `json:"headers"` // a few are numbers
	// checkBody compares the request's JSON body with Body.
	checkBody bool
}

// scenario reads the recorded exchanges of testdata/octokit/name.json.
func scenario(t *testing.T, name string) []exchange {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "octokit", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var ex []exchange
	if err := json.Unmarshal(b, &ex); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return ex
}

// replayer serves recorded exchanges, in order, under githubtest.Prefix.
type replayer struct {
	t    *testing.T
	repo string // "owner/name"
	mu   sync.Mutex
	ex   []exchange
	next int
}

// replay returns a Client of repository owner/repo whose requests are
// answered by ex, one after the other, and the replayer; the test fails
// unless every exchange was asked for, as recorded.
func replay(t *testing.T, owner, repo string, ex ...exchange) (*Client, *replayer, *githubtest.Clock) {
	t.Helper()
	rp := &replayer{t: t, repo: owner + "/" + repo, ex: ex}
	srv := httptest.NewServer(rp)
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		if rp.served() != len(ex) {
			t.Errorf("%d of the %d recorded exchanges were asked for", rp.served(), len(ex))
		}
	})
	clk := githubtest.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	c, err := New(Options{HTTPClient: srv.Client(), BaseURL: srv.URL + githubtest.Prefix,
		Token: "0000000000000000000000000000000000000001", Owner: owner, Repo: repo,
		Sleep: clk.Sleep, Now: clk.Now, AfterFunc: clk.AfterFunc, Log: githubtest.TestLog(t)})
	if err != nil {
		t.Fatal(err)
	}
	return c, rp, clk
}

func (rp *replayer) served() int {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	return rp.next
}

// ServeHTTP answers the next exchange if the request is the one recorded:
// same method, same path and same page. A recorded path under
// /repositories/{id}/ is the one GitHub's Link header named; go-github
// reads only the page number from it, and asks under /repos/{owner}/{repo}/.
// The other query parameters (per_page, state) are the client's choice.
func (rp *replayer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rp.mu.Lock()
	defer rp.mu.Unlock()
	if rp.next >= len(rp.ex) {
		rp.t.Errorf("unexpected %s %s: every recorded exchange was served", r.Method, r.URL)
		http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
		return
	}
	ex := rp.ex[rp.next]
	rp.next++
	recorded, err := url.Parse(ex.Path)
	if err != nil {
		rp.t.Fatalf("recorded path %q: %v", ex.Path, err)
	}
	got := strings.TrimPrefix(r.URL.Path, strings.TrimSuffix(githubtest.Prefix, "/"))
	want := recorded.Path
	if rest, ok := strings.CutPrefix(want, "/repositories/1000/"); ok {
		want = "/repos/" + rp.repo + "/" + rest
	}
	if !strings.EqualFold(r.Method, ex.Method) || got != want || page(r.URL.Query()) != page(recorded.Query()) {
		rp.t.Errorf("request %d is %s %s, want the recorded %s %s", rp.next, r.Method, r.URL.RequestURI(),
			strings.ToUpper(ex.Method), ex.Path)
	}
	if ex.checkBody && !sameJSON(body, ex.Body) {
		rp.t.Errorf("%s %s sent %s, want the recorded %s", r.Method, r.URL.Path, body, ex.Body)
	}
	for k, v := range ex.Headers {
		if k != "content-length" && k != "connection" {
			w.Header().Set(k, fmt.Sprint(v))
		}
	}
	w.WriteHeader(ex.Status)
	if s := string(ex.Response); s != `""` && s != "" {
		w.Write(ex.Response)
	}
}

// page is the page a query asks for, "1" when it names none.
func page(q url.Values) string {
	if p := q.Get("page"); p != "" {
		return p
	}
	return "1"
}

// sameJSON reports whether two JSON texts hold the same value.
func sameJSON(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(bytes.TrimSpace(b), &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

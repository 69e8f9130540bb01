// Package githubtest is a fake GitHub REST API for one repository, for
// posture's tests. It serves under a path prefix (Prefix), like GitHub
// Enterprise Server, so a client that builds absolute URLs fails; its
// handlers check the method, path, query and JSON body of every request and
// answer with the status codes and JSON shapes of GitHub's REST API. A
// request it does not model fails the test (t.Errorf) and gets a 404,
// because a fake that accepts anything proves nothing.
//
// Every request it receives and every answer it sends, faults included,
// is checked against GitHub's own OpenAPI description (openapi.go, from
// the npm package @octokit/openapi, trimmed under testdata/github): one
// GitHub would refuse or never give fails the test with the operation,
// the JSON pointer and the reason.
//
// State is in memory: issues and pull requests sharing one number
// sequence, comments, labels, reviews, requested reviewers, the changed
// files and commits of pull requests, commit statuses, branches with their
// files, and merges. Seed it with the
// Add and Set methods, inject faults with Inject or FailNext, and read it
// back with the accessors and Calls.
package githubtest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The repository the fake serves, and the path prefix of its API.
const (
	Owner  = "acme"
	Repo   = "device-reports"
	Prefix = "/api/v3/"
	// DefaultBranch exists from the start, with no files.
	DefaultBranch = "main"
)

// Server is the fake. Its methods are safe for concurrent use.
type Server struct {
	t   testing.TB
	srv *httptest.Server

	mu            sync.Mutex
	now           func() time.Time
	actor         string // the login that the token belongs to
	token         string // required token, if set
	nextNumber    int
	nextID        int64
	items         map[int]*item
	comments      []*Comment
	labels        []*Label
	statuses      map[string][]*Status
	refs          map[string]string            // "heads/main" -> commit SHA
	trees         map[string]map[string][]byte // commit SHA -> path -> content
	made          map[string]madeCommit        // the commits the fake made, by SHA
	collaborators map[string]bool
	faults        []*Fault
	calls         []Call
	clock         *Clock                     // what a held answer runs on
	inflight      map[string]context.Context // Client's requests by callHeader
	nextCall      int
	config        *config // the settings posture doctor reads: settings.go
}

// Call is one request the fake received.
type Call struct {
	Method string
	Path   string // relative to the repository ("issues/3/comments") when under it, else the API path
	// RawPath is Path as sent, escaped: a label name with a "/" is one
	// segment here ("labels/a%2Fb") and two in Path.
	RawPath string
	Query   url.Values
	Body    string
}

// New starts a fake GitHub that lives as long as the test t.
func New(t testing.TB) *Server {
	s := &Server{t: t, actor: "posture[bot]", nextNumber: 1, nextID: 1000,
		items: map[int]*item{}, statuses: map[string][]*Status{}, refs: map[string]string{},
		trees: map[string]map[string][]byte{}, made: map[string]madeCommit{}, collaborators: map[string]bool{}, inflight: map[string]context.Context{}}
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	tick := 0
	s.now = func() time.Time { tick++; return start.Add(time.Duration(tick) * time.Second) }
	root := fakeSHA("root")
	s.refs["heads/"+DefaultBranch] = root
	s.trees[root] = map[string][]byte{}
	s.srv = httptest.NewServer(s)
	t.Cleanup(s.srv.Close)
	return s
}

// URL returns the API root to use as forge.Options.BaseURL.
func (s *Server) URL() string { return s.srv.URL + Prefix }

// Client returns an *http.Client for the server. It tells the server
// which request is which (a header), so that a held answer (Fault.Delay)
// sees at once when the client gives up on it.
func (s *Server) Client() *http.Client {
	return &http.Client{Transport: &tagger{s: s, next: s.srv.Client().Transport}}
}

// SetClock sets the clock a held answer (Fault.Delay) runs on, which must
// be the client's (forge.Options Now, Sleep and AfterFunc): holding an
// answer for d moves it on by d, firing the client's attempt timer on the
// way if d outlasts it. A fault with a Delay fails the test without one.
func (s *Server) SetClock(c *Clock) { s.mu.Lock(); s.clock = c; s.mu.Unlock() }

// SetActor sets the login that creates comments, issues and pull requests
// made through the API. It is "posture[bot]" by default.
func (s *Server) SetActor(login string) { s.mu.Lock(); s.actor = login; s.mu.Unlock() }

// SetNow sets the clock used for created_at and the like. By default it
// starts at 2026-11-02T09:00:00Z and advances a second at each reading.
func (s *Server) SetNow(now func() time.Time) { s.mu.Lock(); s.now = now; s.mu.Unlock() }

// RequireToken makes every request without "Authorization: Bearer token"
// fail the test and get a 401.
func (s *Server) RequireToken(token string) { s.mu.Lock(); s.token = token; s.mu.Unlock() }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	api, inPrefix := strings.CutPrefix(r.URL.EscapedPath(), strings.TrimSuffix(Prefix, "/"))
	rel, raw := repoRelative(api)
	s.mu.Lock()
	s.calls = append(s.calls, Call{Method: r.Method, Path: rel, RawPath: raw, Query: r.URL.Query(), Body: string(body)})
	token := s.token
	s.mu.Unlock()
	if !inPrefix {
		s.unexpected(w, r, "outside the API prefix "+Prefix+" (an absolute URL?)")
		return
	}
	if token != "" && r.Header.Get("Authorization") != "Bearer "+token && !ownToken(r) {
		s.t.Errorf("githubtest: %s %s without the token", r.Method, r.URL.Path)
		writeJSON(w, http.StatusUnauthorized, errorBody("Bad credentials", "https://docs.github.com/rest"))
		return
	}
	rt, c := match(r.Method, api)
	if rt == nil {
		s.unexpected(w, r, "no such route")
		return
	}
	op, err := lookup(rt.op)
	if err != nil {
		s.t.Errorf("githubtest: %s %s: %v", r.Method, r.URL.Path, err)
		s.serve(w, r, rel, raw, rt, c, body)
		return
	}
	for key := range r.URL.Query() {
		switch {
		case !op.takes(key):
			s.unexpected(w, r, "query parameter "+key+" is not one GitHub's OpenAPI description of "+op.String()+" takes")
			return
		case !contains(rt.query, key):
			s.unexpected(w, r, "query parameter "+key+" is not modelled")
			return
		}
	}
	in, problems := op.checkRequest(r, api, body)
	s.invalid(r, op, "request", problems)
	rec := httptest.NewRecorder()
	if s.serve(rec, r, rel, raw, rt, c, body) {
		s.invalid(r, op, "answer", op.checkAnswer(in, rec.Code, rec.Header(), rec.Body.Bytes()))
		answer(w, rec)
	}
}

// serve answers the request that matched rt: with the handler, or with
// the fault queued for it. It reports false when it did not answer: the
// client gave up on a held answer.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, rel, raw string, rt *route, c *call, body []byte) bool {
	c.w, c.r, c.body = w, r, body
	f := s.takeFault(r.Method, rel, raw)
	if f != nil && f.Delay > 0 && s.hold(r, f.Delay) {
		return false // the client gave up; nothing was done
	}
	if f != nil && f.Status != 0 && !f.AfterApply {
		f.write(w)
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if f != nil && f.AfterApply {
		c.w = httptest.NewRecorder() // carry the request out, then lose the answer
		rt.handle(s, c)
		f.write(w)
		return true
	}
	rt.handle(s, c)
	return true
}

// invalid fails the test with what is wrong with a request or an answer
// by GitHub's OpenAPI description.
func (s *Server) invalid(r *http.Request, op *operation, what string, problems []string) {
	if len(problems) == 0 {
		return
	}
	s.t.Errorf("githubtest: %s %s: the %s is not what GitHub's OpenAPI description of %s says:\n\t%s",
		r.Method, r.URL.RequestURI(), what, op, strings.Join(problems, "\n\t"))
}

// answer sends what rec recorded.
func answer(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, vs := range rec.Header() {
		w.Header()[k] = vs
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

// hold holds the answer to r for d on the clock, and reports whether the
// client gave up meanwhile: its attempt timer fired (the clock passed it),
// or its context ended. The answer is not written then, and hold returns
// once the connection is gone.
func (s *Server) hold(r *http.Request, d time.Duration) bool {
	s.mu.Lock()
	clk := s.clock
	client, tagged := s.inflight[r.Header.Get(callHeader)]
	s.mu.Unlock()
	if clk == nil {
		s.t.Errorf("githubtest: %s %s: a held answer (Fault.Delay) needs the client's clock; call SetClock", r.Method, r.URL.Path)
		return false
	}
	if !tagged {
		client = r.Context() // not from Client: seen only once the connection closes
	}
	if !clk.move(d, func() bool { return client.Err() != nil }) && client.Err() == nil {
		return false
	}
	<-r.Context().Done()
	return true
}

// callHeader carries the number Client gives each request.
const callHeader = "X-Githubtest-Call"

// tagger is Client's transport: it numbers each request so that the
// server can find the client's context (its attempt timer) from the request.
type tagger struct {
	s    *Server
	next http.RoundTripper
}

func (t *tagger) RoundTrip(req *http.Request) (*http.Response, error) {
	t.s.mu.Lock()
	t.s.nextCall++
	id := strconv.Itoa(t.s.nextCall)
	t.s.inflight[id] = req.Context()
	t.s.mu.Unlock()
	defer func() {
		t.s.mu.Lock()
		delete(t.s.inflight, id)
		t.s.mu.Unlock()
	}()
	r := req.Clone(req.Context())
	r.Header.Set(callHeader, id)
	return t.next.RoundTrip(r)
}

// unexpected fails the test and answers 404, as GitHub does for a route it
// does not know.
func (s *Server) unexpected(w http.ResponseWriter, r *http.Request, why string) {
	s.t.Errorf("githubtest: unexpected %s %s: %s", r.Method, r.URL.RequestURI(), why)
	writeJSON(w, http.StatusNotFound, errorBody("Not Found", "https://docs.github.com/rest"))
}

// repoRelative returns an escaped API path, and the same unescaped,
// relative to the repository when under /repos/Owner/Repo/.
func repoRelative(api string) (rel, raw string) {
	raw = strings.TrimPrefix(api, "/repos/"+Owner+"/"+Repo+"/")
	rel, err := url.PathUnescape(raw)
	if err != nil {
		rel = raw
	}
	return rel, raw
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

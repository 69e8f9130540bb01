package githubtest

import (
	"encoding/json"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// Documentation URLs GitHub puts in its rate-limit answers.
const (
	secondaryDocs = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
	primaryDocs   = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits"
)

// Fault replaces the answer to the next Times requests matching Method and
// Path. Path is a path.Match pattern, relative to the repository
// ("issues", "pulls/*/reviews") or, when it starts with "/", to the API
// root; it is matched against the path unescaped and as sent, so
// "labels/*" matches a label whose name holds a "/". Faults are used in
// the order they were injected.
type Fault struct {
	Method string
	Path   string
	Times  int // how many requests it answers; 0 means 1
	Status int // the status to answer with; 0 with Delay answers normally after the delay
	Header http.Header
	Body   string // the raw answer; empty means GitHub's message for Status
	// Delay holds the answer this long on the server's clock (SetClock),
	// or until the client gives up: its attempt timer, on the same clock,
	// fires first. No real time passes.
	Delay time.Duration
	// AfterApply carries the request out (state changes, counters move)
	// and then answers with Status instead: an answer lost on the way.
	AfterApply bool
}

// Inject queues faults.
func (s *Server) Inject(faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range faults {
		if f.Times <= 0 {
			f.Times = 1
		}
		if f.AfterApply && f.Status == 0 {
			f.Status = http.StatusBadGateway
		}
		s.faults = append(s.faults, &f)
	}
}

// FailNext makes the next n requests matching method and pattern answer
// status with header and body (GitHub's message for status if empty).
func (s *Server) FailNext(method, pattern string, n, status int, header http.Header, body string) {
	s.Inject(Fault{Method: method, Path: pattern, Times: n, Status: status, Header: header, Body: body})
}

// takeFault returns the first queued fault for a request, using it up.
func (s *Server) takeFault(method, rel, raw string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Method != method || !(matches(f.Path, rel) || matches(f.Path, raw)) {
			continue
		}
		f.Times--
		if f.Times == 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		c := *f
		return &c
	}
	return nil
}

// matches reports whether a repository-relative or API path matches pattern.
func matches(pattern, rel string) bool {
	if strings.HasPrefix(pattern, "/") && !strings.HasPrefix(rel, "/") {
		rel = "/repos/" + Owner + "/" + Repo + "/" + rel
	}
	ok, _ := path.Match(pattern, rel)
	return ok
}

func (f *Fault) write(w http.ResponseWriter) {
	for k, vs := range f.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	body := f.Body
	if body == "" {
		b, _ := json.Marshal(errorBody(http.StatusText(f.Status), "https://docs.github.com/rest"))
		body = string(b)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(f.Status)
	w.Write([]byte(body))
}

// ServerError answers status (500, 502, 503...) once.
func ServerError(method, pattern string, status int) Fault {
	return Fault{Method: method, Path: pattern, Status: status}
}

// Lost carries the request out and then answers status (502 by default):
// GitHub did the work but the client never heard.
func Lost(method, pattern string, status int) Fault {
	if status == 0 {
		status = http.StatusBadGateway
	}
	return Fault{Method: method, Path: pattern, Status: status, AfterApply: true}
}

// Slow holds the answer for d on the server's clock; a client whose
// attempt timeout is shorter gives up first, gets nothing, and nothing is
// done.
func Slow(method, pattern string, d time.Duration) Fault {
	return Fault{Method: method, Path: pattern, Delay: d}
}

// SecondaryRateLimit answers status (403 or 429) with GitHub's secondary
// rate-limit message and, if retryAfter > 0, a retry-after header.
func SecondaryRateLimit(method, pattern string, status int, retryAfter time.Duration) Fault {
	h := http.Header{}
	if retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(int(retryAfter/time.Second)))
	}
	return Fault{Method: method, Path: pattern, Status: status, Header: h, Body: marshal(errorBody(
		"You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "+
			"If you reach out to GitHub Support for help, please include the request ID 0000:1111:2222.", secondaryDocs))}
}

// PrimaryRateLimit answers status (403 or 429) with x-ratelimit-remaining 0
// and x-ratelimit-reset at reset, as GitHub does when the hourly quota is spent.
func PrimaryRateLimit(method, pattern string, status int, reset time.Time) Fault {
	h := http.Header{}
	h.Set("X-Ratelimit-Limit", "5000")
	h.Set("X-Ratelimit-Remaining", "0")
	h.Set("X-Ratelimit-Used", "5000")
	h.Set("X-Ratelimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	h.Set("X-Ratelimit-Resource", "core")
	return Fault{Method: method, Path: pattern, Status: status, Header: h, Body: marshal(errorBody(
		"API rate limit exceeded for installation ID 1.", primaryDocs))}
}

// Forbidden answers 403 with message, a permission error that is not a rate
// limit, e.g. "Resource not accessible by integration".
func Forbidden(method, pattern, message string) Fault {
	return Fault{Method: method, Path: pattern, Status: http.StatusForbidden,
		Body: marshal(errorBody(message, "https://docs.github.com/rest"))}
}

// ValidationError is one entry of a 422's "errors" list.
type ValidationError struct {
	Resource string `json:"resource,omitempty"`
	Field    string `json:"field,omitempty"`
	Code     string `json:"code"`
	Message  string `json:"message,omitempty"`
	Value    string `json:"value,omitempty"`
}

// Unprocessable answers 422 as GitHub does: {"message": message, "errors":
// errs, "documentation_url": ...}; message is usually "Validation Failed".
func Unprocessable(method, pattern, message string, errs ...ValidationError) Fault {
	return Fault{Method: method, Path: pattern, Status: http.StatusUnprocessableEntity,
		Body: marshal(validation(message, errs...))}
}

// NotFound answers 404 {"message": "Not Found"}.
func NotFound(method, pattern string) Fault {
	return Fault{Method: method, Path: pattern, Status: http.StatusNotFound,
		Body: marshal(errorBody("Not Found", "https://docs.github.com/rest"))}
}

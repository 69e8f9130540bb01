package forge

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/google/go-github/v60/github"
)

// ErrNotFound matches, through errors.Is, every error for something GitHub
// answered 404 to: a deleted branch, a missing label, an unknown issue.
var ErrNotFound = errors.New("not found")

// NotFoundError reports a 404 from GitHub. errors.Is(err, ErrNotFound) holds.
type NotFoundError struct {
	Method, URL string
	Message     string // GitHub's message, usually "Not Found"
}

// Error implements error.
func (e *NotFoundError) Error() string {
	return fmt.Sprintf("%s %s: 404 %s", e.Method, e.URL, e.Message)
}

// Is makes errors.Is(err, ErrNotFound) true.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// UncertainError reports a request that GitHub may or may not have carried
// out: a POST whose answer was a 5xx, or was lost to a timeout or a broken
// connection. It is never repeated automatically, because GitHub may already
// have created the comment, issue or merge: re-read the state and decide.
// (A request cancelled through its context ends with the context's error
// instead, as go-github returns it; a cancelled POST is just as uncertain.)
type UncertainError struct {
	Method, URL string
	Status      int   // the HTTP status, or 0 when no answer arrived
	Err         error // the network error when no answer arrived
}

// Error implements error.
func (e *UncertainError) Error() string {
	cause := fmt.Sprintf("answered %d %s", e.Status, http.StatusText(e.Status))
	if e.Status == 0 {
		cause = fmt.Sprintf("no answer: %v", e.Err)
	}
	return fmt.Sprintf("%s %s: outcome unknown, %s; re-read the state before repeating it", e.Method, e.URL, cause)
}

// Unwrap returns the network error, if any.
func (e *UncertainError) Unwrap() error { return e.Err }

// RateLimitError reports that GitHub, or posture's own content-creation
// budget, asks for a wait longer than Options.MaxWait or for more retries
// than Options.MaxRetries. Nothing was done; run again at ResumeAt.
type RateLimitError struct {
	Method, URL string
	Reason      string    // e.g. "secondary rate limit", "content-creation budget of 500 an hour spent"
	ResumeAt    time.Time // the earliest time to try again
}

// Error implements error.
func (e *RateLimitError) Error() string {
	return fmt.Sprintf("%s %s: %s; resume at %s", e.Method, e.URL, e.Reason, e.ResumeAt.UTC().Format(time.RFC3339))
}

// MergeError reports a merge that GitHub refused: 405 when the pull request
// is not mergeable (conflicts, failing required checks, already merged),
// 409 when its head moved away from the commit that was approved.
type MergeError struct {
	Number  int
	Status  int    // 405 or 409
	Message string // GitHub's message
	Merged  bool   // the pull request is merged already, perhaps by an earlier attempt whose answer was lost
}

// Error implements error.
func (e *MergeError) Error() string {
	if e.Merged {
		return fmt.Sprintf("pull request #%d is already merged", e.Number)
	}
	return fmt.Sprintf("pull request #%d: %d %s", e.Number, e.Status, e.Message)
}

// HeadMoved reports whether GitHub refused because the head is no longer the
// commit that was passed: the approvals may not cover what is there now.
func (e *MergeError) HeadMoved() bool { return e.Status == http.StatusConflict }

// statusOf returns the HTTP status of a go-github error response, or 0.
func statusOf(err error) int {
	var er *github.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return er.Response.StatusCode
	}
	return 0
}

// messageOf returns GitHub's message in a go-github error response.
func messageOf(err error) string {
	var er *github.ErrorResponse
	if errors.As(err, &er) {
		return er.Message
	}
	return err.Error()
}

// hasCode reports whether a 422 lists a validation error with this code.
func hasCode(err error, code string) bool {
	var er *github.ErrorResponse
	if !errors.As(err, &er) {
		return false
	}
	for _, e := range er.Errors {
		if e.Code == code {
			return true
		}
	}
	return false
}

// wrap gives err a verb phrase and turns go-github's own error types into
// this package's: 404s into *NotFoundError, rate limits it detected itself
// (a later call after a response with x-ratelimit-remaining: 0) into
// *RateLimitError. The transport's errors lose the *url.Error around them,
// which only repeats the URL.
func (c *Client) wrap(verb string, err error) error {
	var er *github.ErrorResponse
	var rl *github.RateLimitError
	var ab *github.AbuseRateLimitError
	var ue *url.Error
	var mine *RateLimitError
	var unsure *UncertainError
	switch {
	case errors.As(err, &ue) && (errors.As(ue.Err, &mine) || errors.As(ue.Err, &unsure)):
		err = ue.Err // the transport's own error already names the method and URL
	case errors.As(err, &rl):
		err = &RateLimitError{Method: method(rl.Response), URL: where(rl.Response),
			Reason: "primary rate limit", ResumeAt: rl.Rate.Reset.Time}
	case errors.As(err, &ab):
		wait := time.Minute
		if ab.RetryAfter != nil {
			wait = *ab.RetryAfter
		}
		err = &RateLimitError{Method: method(ab.Response), URL: where(ab.Response),
			Reason: "secondary rate limit", ResumeAt: c.cfg.now().Add(wait)}
	case errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusNotFound:
		err = &NotFoundError{Method: method(er.Response), URL: where(er.Response), Message: er.Message}
	}
	return fmt.Errorf("%s: %w", verb, err)
}

func method(r *http.Response) string {
	if r == nil || r.Request == nil {
		return ""
	}
	return r.Request.Method
}

func where(r *http.Response) string {
	if r == nil || r.Request == nil {
		return ""
	}
	return r.Request.URL.String()
}

package forge

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/go-github/v60/github"
)

// ErrForbidden matches, through errors.Is, a 403 that is not a rate limit:
// the token may not read or do this ("Resource not accessible by ...").
var ErrForbidden = errors.New("forbidden")

// ErrUnauthorized matches, through errors.Is, a 401: GitHub did not accept
// the token at all (a typo, an expired installation token).
var ErrUnauthorized = errors.New("unauthorized")

// DeniedError reports a 401 or a 403 that is not a rate limit.
// errors.Is(err, ErrUnauthorized) or errors.Is(err, ErrForbidden) holds.
type DeniedError struct {
	Method, URL string
	Status      int    // 401 or 403
	Message     string // GitHub's message
	// Accepted is GitHub's X-Accepted-GitHub-Permissions header, which it
	// sends to fine-grained tokens and GitHub Apps: sets of permissions any
	// one of which would do, separated by ";", e.g. "administration=read"
	// or "issues=read; pull_requests=read".
	Accepted string
	// Need is the permission the endpoint's documentation names, for the
	// tokens that get no header (classic personal access tokens).
	Need string
}

// Error implements error.
func (e *DeniedError) Error() string {
	return fmt.Sprintf("%s %s: %d %s", e.Method, e.URL, e.Status, e.Message)
}

// Is makes errors.Is(err, ErrUnauthorized) true for a 401 and
// errors.Is(err, ErrForbidden) true for a 403.
func (e *DeniedError) Is(target error) bool {
	return target == ErrUnauthorized && e.Status == http.StatusUnauthorized ||
		target == ErrForbidden && e.Status == http.StatusForbidden
}

// Permission says in words what the token needs: GitHub's own header when
// it sent one ("Administration: read"), else Need.
func (e *DeniedError) Permission() string {
	if e.Accepted == "" {
		return e.Need
	}
	var sets []string
	for _, set := range strings.Split(e.Accepted, ";") {
		var perms []string
		for _, p := range strings.Split(set, ",") {
			name, level, _ := strings.Cut(strings.TrimSpace(p), "=")
			if name == "" {
				continue
			}
			words := strings.ReplaceAll(name, "_", " ")
			perm := strings.ToUpper(words[:1]) + words[1:]
			if level != "" {
				perm += ": " + level
			}
			perms = append(perms, perm)
		}
		if len(perms) > 0 {
			sets = append(sets, strings.Join(perms, " and "))
		}
	}
	if len(sets) == 0 {
		return e.Need
	}
	return strings.Join(sets, " or ")
}

// deny wraps err like wrap, turning a 401, or a 403 that the transport
// did not take for a rate limit, into a *DeniedError that names need.
func (c *Client) deny(verb, need string, err error) error {
	var er *github.ErrorResponse
	if errors.As(err, &er) && er.Response != nil &&
		(er.Response.StatusCode == http.StatusUnauthorized || er.Response.StatusCode == http.StatusForbidden) {
		return fmt.Errorf("%s: %w", verb, &DeniedError{Method: method(er.Response), URL: where(er.Response),
			Status: er.Response.StatusCode, Message: er.Message,
			Accepted: er.Response.Header.Get("X-Accepted-GitHub-Permissions"), Need: need})
	}
	return c.wrap(verb, err)
}

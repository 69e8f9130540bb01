package forge

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"time"
)

// maxBackoff caps the wait between retries after a 5xx or a network error.
const maxBackoff = 60 * time.Second

// transport is the http.RoundTripper under go-github. Each request goes
// through it once; it decides what to repeat:
//
//   - 5xx answers and network errors are retried with capped exponential
//     backoff for GET, HEAD, PUT, PATCH and DELETE, and for POSTs made with a
//     repeatable context. Any other POST ends with *UncertainError, because
//     GitHub may have carried it out; a POST whose connection was never made
//     (a dial error) is retried.
//   - 403 and 429 rate-limit answers were not processed, so they are retried
//     for every method once the wait GitHub asks for has passed (limits.go).
//     While it lasts, no other request from this Client is sent.
//   - Content-creating requests are paced (limits.go).
type transport struct {
	next  http.RoundTripper
	cfg   *config
	token string
	host  string // the token is sent to this host only
	pacer *pacer

	mu     sync.Mutex
	until  time.Time // no request is sent before this
	reason string    // why: the rate limit being waited out
}

// repeatKey marks a context whose requests are, or are not, safe to
// repeat whatever their method.
type repeatKey struct{}

// repeatable returns a context whose POSTs the transport may repeat after a
// 5xx or a timeout, for POSTs whose repetition changes nothing (adding a
// label, requesting a reviewer, setting a commit status).
func repeatable(ctx context.Context) context.Context {
	return context.WithValue(ctx, repeatKey{}, true)
}

// once returns a context whose requests are treated like a POST: a PUT
// that would fail or do something else if repeated (writing a file with
// the blob SHA it replaces) ends with *UncertainError instead.
func once(ctx context.Context) context.Context {
	return context.WithValue(ctx, repeatKey{}, false)
}

// idempotent reports whether req may be sent again after a 5xx or a lost answer.
func idempotent(req *http.Request) bool {
	if v, ok := req.Context().Value(repeatKey{}).(bool); ok {
		return v
	}
	return req.Method != http.MethodPost
}

// RoundTrip implements http.RoundTripper.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if createsContent(req) {
		release, err := t.pacer.acquire(ctx, t.cfg, req)
		if err != nil {
			closeBody(req)
			return nil, err
		}
		defer release()
	}
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	idem := idempotent(req)
	safe := replayable && idem
	failures, limits := 0, 0
	for n := 0; ; n++ {
		if err := t.waitGate(ctx, req); err != nil {
			closeBody(req)
			return nil, err
		}
		resp, err := t.attempt(ctx, req, n)
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if !replayable || failures >= t.cfg.maxRetries || !(safe || unsent(err)) {
				if !idem && !unsent(err) {
					return nil, &UncertainError{Method: req.Method, URL: req.URL.String(), Err: err}
				}
				return nil, err
			}
			failures++
			if err := t.backoff(ctx, req, failures, err.Error()); err != nil {
				return nil, err
			}
		case resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusTooManyRequests:
			now := t.cfg.now()
			wait, why, limited := rateLimitWait(resp, now, limits)
			if !limited {
				return resp, nil
			}
			limits++
			resume := now.Add(wait)
			t.block(resume, why)
			if wait > t.cfg.maxWait || limits > t.cfg.maxRetries || !replayable {
				return nil, &RateLimitError{Method: req.Method, URL: req.URL.String(), Reason: why, ResumeAt: resume}
			}
			fmt.Fprintf(t.cfg.log, "forge: %s %s: %d, %s; waiting %s (%d of %d)\n",
				req.Method, req.URL.Path, resp.StatusCode, why, wait.Round(time.Millisecond), limits, t.cfg.maxRetries)
		case resp.StatusCode >= 500:
			if !safe {
				if !idem {
					return nil, &UncertainError{Method: req.Method, URL: req.URL.String(), Status: resp.StatusCode}
				}
				return resp, nil
			}
			if failures >= t.cfg.maxRetries {
				return resp, nil
			}
			failures++
			if err := t.backoff(ctx, req, failures, resp.Status); err != nil {
				return nil, err
			}
		default:
			return resp, nil
		}
	}
}

// attempt sends req once, with its own timeout, and reads the whole body
// so that a body cut short counts as a failed attempt. The timer is the
// configured AfterFunc's; when it fires, the attempt's context ends with
// an error that says so and wraps context.DeadlineExceeded.
func (t *transport) attempt(ctx context.Context, req *http.Request, n int) (*http.Response, error) {
	timedOut := fmt.Errorf("attempt timed out after %s: %w", t.cfg.attemptTimeout, context.DeadlineExceeded)
	actx, cancel := context.WithCancelCause(ctx)
	stop := t.cfg.afterFunc(t.cfg.attemptTimeout, func() { cancel(timedOut) })
	defer func() {
		stop()
		cancel(nil)
	}()
	r := req.Clone(actx)
	if n > 0 && req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("replay request body: %w", err)
		}
		r.Body = body
	}
	if t.token != "" && r.URL.Host == t.host {
		r.Header.Set("Authorization", "Bearer "+t.token)
	}
	resp, err := t.next.RoundTrip(r)
	if err == nil {
		var b []byte
		b, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(b))
	}
	if err != nil && context.Cause(actx) == timedOut && ctx.Err() == nil && !errors.Is(err, timedOut) {
		err = fmt.Errorf("%w: %w", timedOut, err)
	}
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// backoff sleeps before retry number n (1-based): 1s, 2s, 4s ... plus up
// to a quarter more at random, at most maxBackoff.
func (t *transport) backoff(ctx context.Context, req *http.Request, n int, why string) error {
	d := time.Second << min(n-1, 10)
	d += time.Duration(rand.Int64N(int64(d/4) + 1))
	d = min(d, maxBackoff)
	fmt.Fprintf(t.cfg.log, "forge: %s %s: %s; retry %d of %d in %s\n",
		req.Method, req.URL.Path, why, n, t.cfg.maxRetries, d.Round(time.Millisecond))
	return t.cfg.sleep(ctx, d)
}

// block holds every request of this Client until resume.
func (t *transport) block(resume time.Time, why string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if resume.After(t.until) {
		t.until, t.reason = resume, why
	}
}

// waitGate sleeps until a rate limit being waited out has passed, or says
// when to resume if that is further away than MaxWait.
func (t *transport) waitGate(ctx context.Context, req *http.Request) error {
	t.mu.Lock()
	until, why := t.until, t.reason
	t.mu.Unlock()
	d := until.Sub(t.cfg.now())
	if d <= 0 {
		return nil
	}
	if d > t.cfg.maxWait {
		return &RateLimitError{Method: req.Method, URL: req.URL.String(), Reason: why, ResumeAt: until}
	}
	return t.cfg.sleep(ctx, d)
}

// unsent reports whether err means the request never left: no connection
// was made, so even a POST can be sent again.
func unsent(err error) bool {
	var op *net.OpError
	var dns *net.DNSError
	return errors.As(err, &dns) || (errors.As(err, &op) && op.Op == "dial")
}

// closeBody closes a request body the transport will not send.
func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

package forge

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// GitHub's limits, both halves: reading its rate-limit answers, and pacing
// content creation so as to get fewer of them.

// secondaryBase is the least wait after a secondary rate limit that names
// no time: GitHub says to wait at least a minute, then exponentially longer.
const secondaryBase = time.Minute

// rateLimitWait reads a 403 or 429 the way GitHub's REST documentation
// ("Rate limits for the REST API", "Exceeding the rate limit") says to:
//
//  1. a retry-after header: wait that many seconds;
//  2. x-ratelimit-remaining: 0 with x-ratelimit-reset: wait until that
//     epoch second;
//  3. otherwise, a body that names a secondary (or abuse) rate limit, or any
//     429: wait at least a minute, doubling with each retry (n is the
//     number of rate-limit retries already made).
//
// Any other 403 (a permission error such as "Resource not accessible by
// integration") is not a rate limit: limited is false and the response is
// passed on. The body is read and put back.
func rateLimitWait(resp *http.Response, now time.Time, n int) (wait time.Duration, why string, limited bool) {
	body, _ := io.ReadAll(resp.Body) // already in memory: see attempt
	resp.Body = io.NopCloser(bytes.NewReader(body))
	secondary := mentionsSecondary(body)
	kind := "rate limit"
	if secondary {
		kind = "secondary rate limit"
	}
	h := resp.Header
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if s, err := strconv.ParseInt(v, 10, 64); err == nil && s >= 0 {
			return time.Duration(s) * time.Second, kind + " (retry-after " + v + "s)", true
		}
		if at, err := http.ParseTime(v); err == nil {
			return max(at.Sub(now), 0), kind + " (retry-after " + v + ")", true
		}
	}
	if h.Get("X-Ratelimit-Remaining") == "0" {
		if s, err := strconv.ParseInt(h.Get("X-Ratelimit-Reset"), 10, 64); err == nil {
			reset := time.Unix(s, 0)
			return max(reset.Sub(now), time.Second), kind + " (x-ratelimit-remaining 0 until " +
				reset.UTC().Format(time.RFC3339) + ")", true
		}
	}
	if secondary || resp.StatusCode == http.StatusTooManyRequests {
		d := secondaryBase << min(n, 10)
		d += time.Duration(rand.Int64N(int64(d/10) + 1))
		return d, kind + " without a wait named", true
	}
	return 0, "", false
}

// mentionsSecondary reports whether a 403 or 429 body is GitHub's secondary
// (formerly "abuse") rate-limit message or links to its documentation.
func mentionsSecondary(body []byte) bool {
	b := bytes.ToLower(body)
	return bytes.Contains(b, []byte("secondary rate limit")) ||
		bytes.Contains(b, []byte("secondary-rate-limits")) ||
		bytes.Contains(b, []byte("abuse"))
}

// GitHub's documented content-creation limits (secondary rate limits): no
// more than 80 content-generating requests a minute and 500 an hour.
const (
	defaultCreateInterval = 750 * time.Millisecond // 80 a minute, with room
	defaultCreateBudget   = 500                    // an hour
)

// pacer serialises content-creating requests, spaces them at least
// interval apart, and refuses, with *RateLimitError, the one that would go
// over budget in the last hour. It counts only this Client's requests: a
// fresh process starts a fresh count.
type pacer struct {
	sem      chan struct{} // held for the whole request: creations are serial
	interval time.Duration
	budget   int
	last     time.Time   // when the last creation was sent; guarded by sem
	sent     []time.Time // sends within the last hour, oldest first; guarded by sem
}

func newPacer(interval time.Duration, budget int) *pacer {
	if interval <= 0 {
		interval = defaultCreateInterval
	}
	if budget <= 0 {
		budget = defaultCreateBudget
	}
	return &pacer{sem: make(chan struct{}, 1), interval: interval, budget: budget}
}

// acquire waits for the turn of a content-creating request and returns the
// function that ends it.
func (p *pacer) acquire(ctx context.Context, cfg *config, req *http.Request) (release func(), err error) {
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	release = func() { <-p.sem }
	now := cfg.now()
	cut := now.Add(-time.Hour)
	i := 0
	for i < len(p.sent) && !p.sent[i].After(cut) {
		i++
	}
	p.sent = p.sent[i:]
	if len(p.sent) >= p.budget {
		release()
		return nil, &RateLimitError{Method: req.Method, URL: req.URL.String(),
			Reason:   fmt.Sprintf("content-creation budget of %d an hour spent", p.budget),
			ResumeAt: p.sent[0].Add(time.Hour)}
	}
	if !p.last.IsZero() {
		if d := p.last.Add(p.interval).Sub(now); d > 0 {
			if err := cfg.sleep(ctx, d); err != nil {
				release()
				return nil, err
			}
			now = cfg.now()
		}
	}
	p.last = now
	p.sent = append(p.sent, now)
	return release, nil
}

// createsContent reports whether GitHub counts req against its
// content-creation limits: every POST (issues, comments, pull requests,
// labels, statuses, review requests, refs), and the PUTs that make commits
// (merging a pull request, writing a file).
func createsContent(req *http.Request) bool {
	switch req.Method {
	case http.MethodPost:
		return true
	case http.MethodPut:
		p := req.URL.Path
		return strings.HasSuffix(p, "/merge") || strings.Contains(p, "/contents/")
	}
	return false
}

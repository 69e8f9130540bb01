// Package forge is posture's GitHub layer: a go-github client whose
// transport retries what GitHub documents as safe to retry, waits out rate
// limits, paces content-creating requests, and never repeats a POST whose
// outcome is unknown; plus typed helpers for the calls posture's commands
// make on one repository (pull requests, reviews, labels, the routing
// comment, the approvals status, merges, monthly issues, branches and files).
//
// Errors are wrapped with a verb phrase and keep their type: *UncertainError,
// *RateLimitError, *NotFoundError (errors.Is ErrNotFound) and *MergeError are
// reachable with errors.As through go-github's and this package's wrapping.
package forge

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
)

// DefaultBaseURL is GitHub.com's REST API root.
const DefaultBaseURL = "https://api.github.com/"

// Options configures a Client. Only Owner and Repo are required.
type Options struct {
	// HTTPClient is copied and its Transport wrapped; nil means a new
	// http.Client. Its Timeout, if any, bounds a whole call including
	// retries and waits: prefer AttemptTimeout.
	HTTPClient *http.Client
	// BaseURL is the REST API root, ending in "/": DefaultBaseURL, or a
	// GitHub Enterprise Server prefix such as "https://ghe.example/api/v3/".
	BaseURL string
	// Token is sent as "Authorization: Bearer <token>" to BaseURL's host only.
	Token string
	// Owner and Repo name the repository the helpers work on.
	Owner, Repo string
	// Sleep waits for d or until ctx ends; nil means a real timer. Tests
	// inject one that records the waits and advances Now.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock used for rate-limit resets and pacing; nil means time.Now.
	Now func() time.Time
	// MaxRetries bounds the retries of one request; 0 means 5.
	MaxRetries int
	// MaxWait is the longest single wait that is slept; a longer one ends the
	// call with a *RateLimitError saying when to resume. 0 means 15 minutes.
	MaxWait time.Duration
	// AttemptTimeout bounds one attempt (connect to end of headers and
	// body); a timed-out GET is retried. 0 means 30 seconds.
	AttemptTimeout time.Duration
	// AfterFunc starts the attempt timer: it calls f once d has passed and
	// returns the function that stops it, as time.AfterFunc does; nil means
	// a real timer. Tests inject a fake clock's, so that an attempt times
	// out when the fake clock says so and never because the machine is busy.
	AfterFunc func(d time.Duration, f func()) (stop func() bool)
	// CreateInterval is the least time between two content-creating
	// requests; 0 means 750ms (80 a minute is GitHub's documented limit).
	CreateInterval time.Duration
	// CreateBudget is how many content-creating requests one Client sends in
	// any hour before it returns *RateLimitError; 0 means 500, GitHub's limit.
	CreateBudget int
	// Log receives one line per retry or wait; nil discards them.
	Log io.Writer
}

// Client talks to one GitHub repository.
type Client struct {
	gh          *github.Client
	owner, repo string
	cfg         *config
	// self is the login the client's token acts as, when it is known (the
	// posture app's bot): the only author whose marked comments count.
	self string
}

// SameBot reports whether login is the GitHub App bot bot names: bot
// itself, or bot with GitHub's "[bot]" suffix (posture.yaml's bot_login may
// be written either way).
func SameBot(login, bot string) bool {
	return bot != "" && (strings.EqualFold(login, bot) || strings.EqualFold(login, bot+"[bot]"))
}

// SetSelf names the login the client's token acts as (e.g. the posture
// app's "posture-acme[bot]"). FindComment and UpsertComment then take a
// marked comment for posture's own only when that login wrote it: anyone
// who can comment could otherwise write the marker first, and have posture
// take (and edit) their comment for its own. A login matches as SameBot
// matches it. With "" (a person's own token, posture run by hand) any
// author's counts.
func (c *Client) SetSelf(login string) { c.self = login }

// config is what the transport and the helpers share.
type config struct {
	sleep          func(ctx context.Context, d time.Duration) error
	now            func() time.Time
	maxRetries     int
	maxWait        time.Duration
	attemptTimeout time.Duration
	afterFunc      func(d time.Duration, f func()) (stop func() bool)
	log            io.Writer
}

// New returns a Client for opts.Owner/opts.Repo.
func New(opts Options) (*Client, error) {
	if opts.Owner == "" || opts.Repo == "" {
		return nil, errors.New("new github client: owner and repo are required")
	}
	if opts.BaseURL == "" {
		opts.BaseURL = DefaultBaseURL
	}
	base, err := url.Parse(opts.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("new github client: parse base url: %w", err)
	}
	if !strings.HasSuffix(base.Path, "/") {
		return nil, fmt.Errorf("new github client: base url %q must end with /", opts.BaseURL)
	}
	cfg := &config{sleep: opts.Sleep, now: opts.Now, maxRetries: opts.MaxRetries,
		maxWait: opts.MaxWait, attemptTimeout: opts.AttemptTimeout, afterFunc: opts.AfterFunc, log: opts.Log}
	if cfg.sleep == nil {
		cfg.sleep = sleep
	}
	if cfg.now == nil {
		cfg.now = time.Now
	}
	if cfg.maxRetries <= 0 {
		cfg.maxRetries = 5
	}
	if cfg.maxWait <= 0 {
		cfg.maxWait = 15 * time.Minute
	}
	if cfg.attemptTimeout <= 0 {
		cfg.attemptTimeout = 30 * time.Second
	}
	if cfg.afterFunc == nil {
		cfg.afterFunc = func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }
	}
	if cfg.log == nil {
		cfg.log = io.Discard
	}
	hc := http.Client{}
	if opts.HTTPClient != nil {
		hc = *opts.HTTPClient
	}
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	hc.Transport = &transport{next: next, cfg: cfg, token: opts.Token, host: base.Host,
		pacer: newPacer(opts.CreateInterval, opts.CreateBudget)}
	gh := github.NewClient(&hc)
	gh.BaseURL = base
	gh.UploadURL = base
	gh.UserAgent = "posture"
	return &Client{gh: gh, owner: opts.Owner, repo: opts.Repo, cfg: cfg}, nil
}

// GH returns the underlying go-github client, for calls without a helper.
// Its requests go through the same retrying, pacing transport.
func (c *Client) GH() *github.Client { return c.gh }

// Owner returns the repository owner.
func (c *Client) Owner() string { return c.owner }

// Repo returns the repository name.
func (c *Client) Repo() string { return c.repo }

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// collect fetches every page of a list, 100 at a time.
func collect[T any](fetch func(opts github.ListOptions) ([]T, *github.Response, error)) ([]T, error) {
	opts := github.ListOptions{PerPage: 100}
	var all []T
	for {
		page, resp, err := fetch(opts)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if resp == nil || resp.NextPage == 0 {
			return all, nil
		}
		opts.Page = resp.NextPage
	}
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/google/go-github/v60/github"
	"github.com/posture-dev/posture/internal/check"
	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/gate"
	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/settings"
)

// PullOptions are the flags route, gate and merge share: the clone with
// the trusted base checked out and the pull request's head fetched as data.
type PullOptions struct {
	Dir  string
	Base string
	PR   int
}

// trustedBase is the trusted commit of the clone and what it trusts.
type trustedBase struct {
	repo     *gitrepo.Repo
	commit   *object.Commit
	fsys     fs.FS
	settings settings.Settings
}

// openTrustedBase opens the clone at dir and reads settings from commit rev.
func openTrustedBase(dir, rev string) (*trustedBase, error) {
	repo, err := gitrepo.Open(dir)
	if err != nil {
		return nil, &check.InputError{Msg: err.Error()}
	}
	b := &trustedBase{repo: repo}
	if b.commit, err = repo.Resolve(rev); err != nil {
		repo.Close()
		return nil, &check.InputError{Msg: err.Error()}
	}
	if b.fsys, err = repo.TreeFS(b.commit); err == nil {
		b.settings, _, err = settings.Load(b.fsys)
	}
	if err != nil {
		repo.Close()
		return nil, fmt.Errorf("read the base %s: %w", rev, err)
	}
	return b, nil
}

// pullState is what route, gate and merge decide from. Everything trusted
// comes from the base commit of the clone; the head's records are data.
type pullState struct {
	n        int
	pr       *github.PullRequest
	head     string // the head commit, as GitHub reports it and the clone holds it
	baseSHA  string // the trusted base commit
	identity string // the login the pull request speaks for
	botLogin string // the posture app's login, bot_login on the base
	refusal  string // why posture refuses it, "" when it does not
	// records are the reports and devices it adds or changes, changed
	// what they say.
	records   []string
	changed   []gate.Changed
	noRecords bool
	roster    *gate.Roster
	route     gate.Route
	outcome   gate.Outcome
	// onHead are the logins that reviewed the head commit, in any state.
	onHead []string
	check  *check.Result
}

// open reports whether the pull request is open; route, gate and merge do
// nothing else with one that is not.
func (st *pullState) open() bool { return st.pr.GetState() == "open" }

// openPull checks the pull request flags, makes the GitHub client with
// newClient and loads the pull request o names with it, as route, gate and
// merge start.
func openPull(ctx context.Context, newClient func(GitHubOptions) (*forge.Client, error), gh GitHubOptions, o PullOptions,
	now time.Time) (*forge.Client, *pullState, error) {
	if err := o.validate(); err != nil {
		return nil, nil, err
	}
	c, err := newClient(gh)
	if err != nil {
		return nil, nil, err
	}
	st, err := loadPull(ctx, c, o, now)
	if err != nil {
		return nil, nil, err
	}
	return c, st, nil
}

// loadPull reads pull request n from GitHub and judges it against the
// clone: its identity, the records it changes at its head, posture check's
// findings, the route and what its reviews amount to.
func loadPull(ctx context.Context, c *forge.Client, o PullOptions, now time.Time) (*pullState, error) {
	pr, err := fetchPull(ctx, c, o.PR)
	if err != nil {
		return nil, err
	}
	st := &pullState{n: o.PR, pr: pr, head: pr.GetHead().GetSHA()}
	if !st.open() {
		return st, nil
	}
	b, err := openTrustedBase(o.Dir, o.Base)
	if err != nil {
		return nil, err
	}
	defer b.repo.Close()
	st.baseSHA, st.botLogin = b.commit.Hash.String(), b.settings.BotLogin
	headC, err := b.repo.Resolve(st.head)
	if err != nil {
		return nil, &check.InputError{Msg: fmt.Sprintf("the head %.12s of #%d is not in the clone at %s: fetch it first (git fetch origin pull/%d/head)", st.head, o.PR, o.Dir, o.PR)}
	}
	if err := intoBase(b, pr, o); err != nil {
		return nil, err
	}
	if st.roster, err = gate.LoadRoster(b.fsys); err != nil {
		return nil, err
	}
	if st.identity, _, st.refusal, err = resolveIdentity(ctx, c, pr, b.settings.BotLogin); err != nil {
		return nil, err
	}
	mb, err := b.repo.MergeBase(b.commit, headC)
	if err != nil {
		return nil, &check.InputError{Msg: err.Error()}
	}
	changes, err := b.repo.Changes(mb, headC)
	if err != nil {
		return nil, err
	}
	if err := sameFiles(ctx, c, o.PR, changes); err != nil {
		return nil, err
	}
	headFS, err := b.repo.TreeFS(headC)
	if err != nil {
		return nil, err
	}
	changed, refusal := changedRecords(headFS, changes)
	if st.refusal == "" {
		st.refusal = refusal
	}
	st.changed = changed
	for _, ch := range changed {
		st.records = append(st.records, ch.Path)
	}
	st.check, err = check.Diff(ctx, check.DiffOptions{Dir: o.Dir, Base: st.baseSHA, Head: st.head, Author: st.identity, Now: now})
	if err != nil {
		return nil, err
	}
	if st.refusal != "" {
		return st, nil
	}
	subject, err := st.roster.Subject(changed)
	if errors.Is(err, gate.ErrNoRecords) {
		st.noRecords = true
		return st, nil
	}
	if err == nil {
		err = st.roster.CheckIdentity(subject, st.identity, changed)
	}
	if reason, ok := gate.IsRefusal(err); ok {
		st.refusal = reason
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	st.route = st.roster.Plan(subject, pr.GetUser().GetLogin(), st.identity)
	writers, err := pullWriters(ctx, c, pr, st.head, b.settings.BotLogin)
	if reason, ok := gate.IsRefusal(err); ok {
		st.refusal = reason
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	st.route.WrittenBy(writers)
	reviews, err := c.Reviews(ctx, o.PR)
	if err != nil {
		return nil, err
	}
	var rs []gate.Review
	for _, r := range reviews {
		rs = append(rs, gate.Review{ID: r.GetID(), Login: r.GetUser().GetLogin(), State: r.GetState(),
			Commit: r.GetCommitID(), At: r.GetSubmittedAt().Time})
		if r.GetCommitID() == st.head {
			st.onHead = append(st.onHead, r.GetUser().GetLogin())
		}
	}
	st.outcome = gate.Decide(st.route, rs, st.head)
	return st, nil
}

// pullWriters lists who wrote the commits pull request pr adds, as GitHub
// attributes them, but the bot: whoever wrote one may not approve it. A
// commit GitHub matches to no account, and a pull request with more
// commits than GitHub lists, are a *gate.Refusal; a list without the head
// commit means the head moved while posture read it.
func pullWriters(ctx context.Context, c *forge.Client, pr *github.PullRequest, head, bot string) ([]gate.Writer, error) {
	n := pr.GetNumber()
	listed, err := c.PullCommits(ctx, n)
	if err != nil {
		return nil, err
	}
	if total := pr.GetCommits(); total > len(listed) && len(listed) >= forge.MaxPullCommits {
		return nil, &gate.Refusal{Reason: fmt.Sprintf("it adds %d commits and GitHub lists only %d, so posture cannot tell who wrote the others; "+
			"make it again with fewer commits (squash them)", total, len(listed))}
	}
	var commits []gate.Commit
	for _, rc := range listed {
		commits = append(commits, gate.Commit{SHA: rc.GetSHA(), Author: rc.GetAuthor().GetLogin(), Committer: rc.GetCommitter().GetLogin(),
			AuthorIdent: gitIdent(rc.GetCommit().GetAuthor()), CommitterIdent: gitIdent(rc.GetCommit().GetCommitter())})
	}
	if !slices.ContainsFunc(commits, func(cm gate.Commit) bool { return strings.EqualFold(cm.SHA, head) }) {
		return nil, &check.InputError{Msg: fmt.Sprintf("GitHub lists %d commits of #%d, and its head %.12s is not one of them: the pull request moved while posture read it; run again", len(commits), n, head)}
	}
	return gate.Writers(commits, func(login string) bool { return forge.SameBot(login, bot) })
}

// gitIdent is "Name <email>" of a commit's author or committer.
func gitIdent(a *github.CommitAuthor) string {
	return fmt.Sprintf("%s <%s>", a.GetName(), a.GetEmail())
}

// intoBase refuses a pull request into another branch than the trusted
// base: its base commit must be in the history of the clone's base.
func intoBase(b *trustedBase, pr *github.PullRequest, o PullOptions) error {
	sha := pr.GetBase().GetSHA()
	prBase, err := b.repo.Resolve(sha)
	if err != nil {
		return &check.InputError{Msg: fmt.Sprintf("the base commit %.12s of #%d is not in the clone: fetch the base branch with its history", sha, o.PR)}
	}
	mb, err := b.repo.MergeBase(prBase, b.commit)
	if err != nil || mb.Hash != prBase.Hash {
		return &check.InputError{Msg: fmt.Sprintf("#%d goes into %s at %.12s, which is not in the history of %s: posture judges only pull requests into the branch it trusts", o.PR, pr.GetBase().GetRef(), sha, o.Base)}
	}
	return nil
}

package audit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/posture-dev/posture/internal/check"
	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/record"
	"github.com/posture-dev/posture/internal/settings"
)

// Options of an audit.
type Options struct {
	Repo *gitrepo.Repo
	// Branch is the branch whose first-parent history is audited; when
	// there is no local branch of that name, origin/<Branch>. Empty means
	// main, or HEAD when there is no main either.
	Branch string
	// From and To are the first and last period audited, YYYY-MM.
	From, To string
	// RequireSigned makes every unsigned commit that changed a report in
	// scope a finding.
	RequireSigned bool
	// Version is posture's version, shown in the scope.
	Version string
	// Now is when the audit runs (default time.Now): a period whose due
	// day has not ended by then misses no report yet.
	Now func() time.Time
	// Cache, when set, holds what earlier checks found about the reports
	// it re-checks.
	Cache *check.Cache
}

// walked are the paths the history walk compares: the reports and
// everything a judgement trusts.
var walked = []string{record.ReportsDir + "/", record.PolicyDir + "/", "schemas/", record.PeopleDir + "/",
	record.DevicesDir + "/", settings.File}

// maxPeriods bounds the range of one audit.
const maxPeriods = 120

// run is the state of one audit.
type run struct {
	opts     Options
	now      time.Time
	repo     *gitrepo.Repo
	settings settings.Settings
	periods  []string
	steps    []gitrepo.Step // oldest first
	index    map[plumbing.Hash]int
	keys     []int // per step, the step whose trusted files it has
	judges   map[int]*judged
	head     *headJudge // the judge of the head's trusted files, loading
	merges   map[int]*merge
	paths    map[string][]event
	findings []Finding
}

// Run audits the periods From to To of the branch's history.
func Run(ctx context.Context, opts Options) (*Audit, error) {
	periods, err := periodRange(opts.From, opts.To)
	if err != nil {
		return nil, &check.InputError{Msg: err.Error()}
	}
	head, branch, err := resolve(opts.Repo, opts.Branch)
	if err != nil {
		return nil, err
	}
	hj := loadHeadJudge(ctx, opts.Repo, head, opts.Cache)
	defer hj.wait() // it reads the repository, which the caller may close after Run
	hist, err := opts.Repo.FirstParentsStore(ctx, head, opts.Cache.Steps(walked...), walked...)
	if err != nil {
		return nil, fmt.Errorf("walk the history of %s: %w", branch, err)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	r := &run{opts: opts, now: opts.Now(), repo: opts.Repo, periods: periods, judges: map[int]*judged{}, head: hj,
		merges: map[int]*merge{}, paths: map[string][]event{}, index: map[plumbing.Hash]int{}}
	r.steps = slices.Clone(hist.Steps)
	slices.Reverse(r.steps)
	r.keys = make([]int, len(r.steps))
	for i, st := range r.steps {
		r.index[st.Hash] = i
		r.keys[i] = i
		if i > 0 && !slices.ContainsFunc(st.Changes, trusted) {
			r.keys[i] = r.keys[i-1]
		}
	}
	last := len(r.steps) - 1
	j, err := r.judge(ctx, last)
	if err != nil {
		return nil, fmt.Errorf("read the settings at %s: %w", head.Hash, err)
	}
	r.settings = j.settings
	a := &Audit{Scope: Scope{Organization: r.settings.Organization, Timezone: r.settings.Timezone, Branch: branch,
		Head: head.Hash.String(), HeadTime: head.Committer.When.In(r.settings.Location), From: opts.From, To: opts.To,
		Commits: len(r.steps), RequireSigned: opts.RequireSigned, Version: opts.Version}}
	r.history(hist, branch)
	r.timelines()
	if err := r.verifyMerges(ctx); err != nil {
		return nil, err
	}
	rows := r.reportRows()
	if err := r.recheck(ctx, rows); err != nil {
		return nil, err
	}
	pop, err := r.population(ctx, a, rows)
	if err != nil {
		return nil, err
	}
	a.Evidence = pop
	a.Scope.Merges, a.Scope.Unsigned = r.signatures()
	a.Findings = sortFindings(r.findings)
	attach(a)
	return a, nil
}

// resolve finds the branch, or its remote-tracking branch.
func resolve(repo *gitrepo.Repo, branch string) (head *object.Commit, name string, err error) {
	revs := []string{branch, "origin/" + branch}
	if branch == "" {
		branch, revs = "main", []string{"main", "origin/main", "HEAD"}
	}
	for _, rev := range revs {
		c, err := repo.Resolve(rev)
		if err == nil {
			return c, rev, nil
		}
		if !errors.Is(err, gitrepo.ErrNoCommit) {
			return nil, "", err
		}
	}
	return nil, "", &check.InputError{Msg: fmt.Sprintf("no branch %q or %q in the repository; name the audited branch with --branch", branch, "origin/"+branch)}
}

// trusted reports whether a change touches what judgements rely on.
func trusted(c gitrepo.Change) bool { return !strings.HasPrefix(c.Path, record.ReportsDir+"/") }

// periodRange lists the periods from..to.
func periodRange(from, to string) ([]string, error) {
	if !record.ValidPeriod(from) || !record.ValidPeriod(to) {
		return nil, fmt.Errorf("--from %q and --to %q must be periods written YYYY-MM", from, to)
	}
	if from > to {
		return nil, fmt.Errorf("--from %s is after --to %s; swap them", from, to)
	}
	t, _ := time.Parse("2006-01", from)
	var out []string
	for p := from; p <= to; p = t.Format("2006-01") {
		if len(out) == maxPeriods {
			return nil, fmt.Errorf("%s to %s is more than %d periods; audit at most ten years at a time", from, to, maxPeriods)
		}
		out = append(out, p)
		t = t.AddDate(0, 1, 0)
	}
	return out, nil
}

// inScope reports whether a report path belongs to an audited period.
func (r *run) inScope(p string) bool {
	per := record.PeriodOf(p)
	return per != "" && per >= r.periods[0] && per <= r.periods[len(r.periods)-1]
}

// commitOf describes step i.
func (r *run) commitOf(i int) *Commit {
	return commitInfo(r.steps[i].CommitInfo, r.settings.Location)
}

func commitInfo(c gitrepo.CommitInfo, loc *time.Location) *Commit {
	return &Commit{SHA: c.Hash.String(), Author: c.Author.Name + " <" + c.Author.Email + ">", Time: c.Committer.When.In(loc)}
}

// finding records an integrity finding.
func (r *run) finding(rule, sev, path string, commit plumbing.Hash, format string, args ...any) {
	c := ""
	if !commit.IsZero() {
		c = commit.String()
	}
	r.findings = append(r.findings, Finding{Rule: rule, Severity: sev, Period: record.PeriodOf(path), Path: path,
		Commit: c, Message: fmt.Sprintf(format, args...)})
}

func sortFindings(fs []Finding) []Finding {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmpOr(strings.Compare(a.Period, b.Period), strings.Compare(a.Path, b.Path),
			strings.Compare(a.Rule, b.Rule), strings.Compare(a.Commit, b.Commit), strings.Compare(a.Message, b.Message))
	})
	return slices.Compact(fs)
}

func cmpOr(cs ...int) int {
	for _, c := range cs {
		if c != 0 {
			return c
		}
	}
	return 0
}

// attach lists on each row the rules of the findings about its path.
func attach(a *Audit) {
	by := map[string][]string{}
	for _, f := range a.Findings {
		if f.Path != "" && !slices.Contains(by[f.Path], f.Rule) {
			by[f.Path] = append(by[f.Path], f.Rule)
		}
	}
	for i := range a.Evidence {
		a.Evidence[i].Findings = orEmpty(by[a.Evidence[i].Path])
	}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

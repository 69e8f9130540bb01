package cli

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/monthly"
	"github.com/spf13/cobra"
)

// RemindOptions are the inputs of posture remind.
type RemindOptions struct {
	IO        IOStreams
	Now       func() time.Time
	Getenv    func(string) string
	GitHub    func(GitHubOptions) (*forge.Client, error)
	GitHubOpt GitHubOptions

	Dir, Base string
	Period    string
	Lead      int
	DryRun    bool
	Offline   bool
}

// NewCmdRemind builds posture remind.
func NewCmdRemind(f *Factory, runF func(*RemindOptions) error) *cobra.Command {
	opts := &RemindOptions{IO: f.IO, Now: f.Now, Getenv: f.Getenv, GitHub: f.GitHub}
	cmd := &cobra.Command{
		Use:   "remind [--period YYYY-MM]",
		Short: "Remind, escalate and close the month's report issues",
		Long: fmt.Sprintf(`Walk the period's open report issues. A report counts as merged when its file is on --base
of the local clone (check out the default branch with its history). An issue whose subject has
every report merged is closed, with a comment naming the pull requests that merged them. Any
other issue gets one reminder in the --lead days before the due day and, after it, one comment
that mentions the subject's supervisor (the next active one up, from people/). No step is taken
twice, so it runs daily.

Without --period it walks the current month and every one of the %d months before it that still
has open issues (label report/YYYY-MM, found in one listing of the open issues), oldest first:
so an issue is escalated the day after a due day late in the month, and closed when its reports
are merged in a later month. Open issues of older months are named and left alone; --period
walks one month, any month.

--dry-run prints the step each open issue is at and changes nothing. With --offline, or without
a token, it prints from the clone alone the step each person who owes reports is at, as if their
issue were open with no step taken, and the first comment in full; it sends no request.`, monthly.Lookback),
		Example: `  posture remind
  posture remind --period 2026-12 --dry-run
  posture remind --period 2026-12 --dry-run --offline`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return classify(runRemind(cmd.Context(), opts))
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Dir, "dir", "C", ".", "the clone's root `folder`")
	fl.StringVar(&opts.Base, "base", "HEAD", "the default branch's `ref`: its reports are the merged ones")
	addPeriodFlag(cmd, f.Now, &opts.Period, "period", "the month, `YYYY-MM` (default the current month in the organisation's timezone, and the months before it with open issues)")
	fl.IntVar(&opts.Lead, "lead", 3, "remind this many `days` before the due day, not earlier")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "print the step each issue is at and change nothing")
	fl.BoolVar(&opts.Offline, "offline", false, "with --dry-run: plan from the clone alone, without GitHub or a token")
	addRepoFlags(cmd, &opts.GitHubOpt)
	return cmd
}

func runRemind(ctx context.Context, opts *RemindOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	offline, err := offlineDryRun(opts.DryRun, opts.Offline, opts.Getenv, opts.IO.ErrOut)
	if err != nil {
		return err
	}
	b, err := openCycleBase(ctx, opts.Dir, opts.Base)
	if err != nil {
		return err
	}
	defer b.repo.Close()
	today := b.judge.Settings().Date(opts.Now())
	period, err := cyclePeriod(opts.Period, today)
	if err != nil {
		return err
	}
	if offline {
		links, err := reportLinks(b, period)
		if err != nil {
			return err
		}
		ro, err := remindOptions(b, opts, period, today, links)
		if err != nil {
			return err
		}
		ro.WriteOfflinePlan(opts.IO.Out)
		return nil
	}
	c, err := opts.GitHub(opts.GitHubOpt)
	if err != nil {
		return err
	}
	actAs(c, opts.Getenv, b.judge.Settings().BotLogin)
	failed := func(err error) error {
		if opts.DryRun {
			return dryRunFailed(err)
		}
		return err
	}
	// With --period that month; without, this month and the months before
	// it (at most monthly.Lookback) that still have open issues, oldest
	// first.
	open := map[string][]*github.Issue{}
	walk := []string{period}
	if opts.Period != "" {
		if open[period], err = c.ListIssues(ctx, []string{monthly.Label(period)}, "open"); err != nil {
			return failed(err)
		}
	} else {
		if open, err = monthly.OpenByPeriod(ctx, c); err != nil {
			return failed(err)
		}
		start, _ := time.Parse("2006-01", period)
		first := start.AddDate(0, -monthly.Lookback, 0).Format("2006-01")
		var older []string
		walk = nil
		for p := range open {
			switch {
			case p < first:
				older = append(older, p)
			case p < period:
				walk = append(walk, p)
			}
		}
		slices.Sort(older)
		for _, p := range older {
			fmt.Fprintf(opts.IO.Out, "%s: %d open issues, more than %d months back: left alone; posture remind --period %s walks them\n", p, len(open[p]), monthly.Lookback, p)
		}
		slices.Sort(walk)
		walk = append(walk, period)
	}
	links, err := reportLinks(b, walk...)
	if err != nil {
		return err
	}
	for _, p := range walk {
		ro, err := remindOptions(b, opts, p, today, links)
		if err != nil {
			return err
		}
		if opts.DryRun && len(walk) > 1 {
			fmt.Fprintf(opts.IO.Out, "%s, due %s:\n", p, ro.Due)
		}
		res, err := monthly.RemindIssues(ctx, c, ro, open[p])
		if err != nil {
			return failed(err)
		}
		remindSummary(opts, p, res)
	}
	return nil
}

// reportLinks names what merged each report of periods, walking the
// history once (monthly.LinksOf), each period from its first day.
func reportLinks(b *cycleBase, periods ...string) (map[string][]string, error) {
	since := map[string]time.Time{}
	for _, p := range periods {
		since[p], _ = time.ParseInLocation("2006-01", p, b.judge.Settings().Location)
	}
	return monthly.LinksOf(b.repo, b.commit, since)
}

// remindOptions are the inputs of monthly.Remind for one period; links
// names what merged the reports (reportLinks).
func remindOptions(b *cycleBase, opts *RemindOptions, period, today string, links map[string][]string) (monthly.RemindOptions, error) {
	s := b.judge.Settings()
	due, _ := s.DueDate(period)
	return monthly.RemindOptions{
		Period: period, Today: today, Due: due.Format(time.DateOnly), RemindFrom: due.AddDate(0, 0, -opts.Lead).Format(time.DateOnly),
		Subjects: monthly.Due(b.judge.People(), b.judge.Devices(), period), People: b.judge.People(),
		Merged: func(p string) bool { _, err := fs.Stat(b.tree, p); return err == nil },
		Links:  links, DryRun: opts.DryRun, Out: opts.IO.Out}, nil
}

func remindSummary(opts *RemindOptions, period string, res monthly.RemindResult) {
	if !opts.DryRun {
		fmt.Fprintf(opts.IO.Out, "%s: %d comments, %d issues closed, %d not reminded yet, %d left alone\n", period, res.Commented, res.Closed, res.Waiting, res.Skipped)
	}
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/posture-dev/posture/internal/ahead"
	"github.com/posture-dev/posture/internal/check"
	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/monthly"
	"github.com/posture-dev/posture/internal/record"
	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"
)

// OpenIssuesOptions are the inputs of posture open-issues.
type OpenIssuesOptions struct {
	IO        IOStreams
	Now       func() time.Time
	Getenv    func(string) string
	GitHub    func(GitHubOptions) (*forge.Client, error)
	Sleep     func(ctx context.Context, d time.Duration) error
	GitHubOpt GitHubOptions

	Dir, Base string
	Period    string
	Max       int
	DryRun    bool
	Offline   bool
	ServerURL string
}

// NewCmdOpenIssues builds posture open-issues.
func NewCmdOpenIssues(f *Factory, runF func(*OpenIssuesOptions) error) *cobra.Command {
	opts := &OpenIssuesOptions{IO: f.IO, Now: f.Now, Getenv: f.Getenv, GitHub: f.GitHub, Sleep: cycleSleep(f)}
	cmd := &cobra.Command{
		Use:   "open-issues [--period YYYY-MM]",
		Short: "Open the month's report issue for everyone who owes reports",
		Long: `Open one issue per active person who owns a device that was active at the start of the
period, assigned to them and labelled report/YYYY-MM, listing each device with what to report,
the due day and a link to the prefilled form. People and devices are read from --base of the
local clone.

Each issue carries a hidden key; the period's issues in every state are listed first, so a
re-run, or a run after a crash, opens only what is missing. Creation is serial and paced for
GitHub's content limits. --max (default max_auto_issues in posture.yaml) caps one run.
An issue GitHub refuses for what it holds (422, e.g. a title too long) fails only its person:
the others are opened, and the run ends with exit 2, naming each refusal and what to fix.

--dry-run lists the period's issues on GitHub and prints the plan of the missing ones: who
would get one (login, devices), how many, whether the cap stops the run, and the first issue in
full. With --offline, or without a token, it prints the plan of every issue from the clone
alone and sends no request.`,
		Example: `  posture open-issues --period 2026-12 --dry-run
  posture open-issues --period 2026-12 --dry-run --offline
  posture open-issues --period 2026-12 --max 60`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return classify(runOpenIssues(cmd.Context(), opts))
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Dir, "dir", "C", ".", "the clone's root `folder`")
	fl.StringVar(&opts.Base, "base", "HEAD", "the `ref` whose people/ and devices/ are read")
	addPeriodFlag(cmd, f.Now, &opts.Period, "period", "the month, `YYYY-MM` (default the current month in the organisation's timezone)")
	fl.IntVar(&opts.Max, "max", 0, "open at most `N` issues in this run (default max_auto_issues in posture.yaml)")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "print the issues that would be opened and open none")
	fl.BoolVar(&opts.Offline, "offline", false, "with --dry-run: plan from the clone alone, without GitHub or a token")
	fl.StringVar(&opts.ServerURL, "server-url", "", "the GitHub web `url` for form links (default $GITHUB_SERVER_URL or https://github.com)")
	addRepoFlags(cmd, &opts.GitHubOpt)
	return cmd
}

func runOpenIssues(ctx context.Context, opts *OpenIssuesOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if opts.Max < 0 {
		return usagef("--max %d is negative; give the most issues one run may open", opts.Max)
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
	s := b.judge.Settings()
	period, err := cyclePeriod(opts.Period, s.Date(opts.Now()))
	if err != nil {
		return err
	}
	maxFrom := "--max"
	if opts.Max == 0 {
		opts.Max, maxFrom = s.MaxAutoIssues, "max_auto_issues in posture.yaml"
	}
	server := opts.ServerURL
	if server == "" {
		server = opts.Getenv("GITHUB_SERVER_URL")
	}
	if server == "" {
		server = "https://github.com"
	}
	g := cycleGuide(b.tree)
	due, _ := s.DueDate(period)
	g.Due, g.Timezone = due.Format(time.DateOnly), s.Timezone
	ws, err := ahead.Compute(ahead.Input{Tree: b.tree, Devices: b.judge.Devices(), Exceptions: b.judge.Exceptions(),
		Period: period, Today: s.Date(opts.Now()), DueDay: s.ReportDueDay})
	if err != nil {
		return err
	}
	g.Ahead = ahead.ByOwner(ws)
	subjects := monthly.Due(b.judge.People(), b.judge.Devices(), period)
	if offline {
		repo, err := offlineRepo(opts.GitHubOpt, opts.Getenv, opts.IO.ErrOut)
		if err != nil {
			return err
		}
		g.RepoURL = strings.TrimSuffix(server, "/") + "/" + repo
		monthly.WriteOfflinePlan(opts.IO.Out, period, monthly.Plan(period, subjects, g), opts.Max, maxFrom)
		return nil
	}
	c, err := opts.GitHub(opts.GitHubOpt)
	if err != nil {
		return err
	}
	g.RepoURL = strings.TrimSuffix(server, "/") + "/" + c.Owner() + "/" + c.Repo()
	plan := monthly.Plan(period, subjects, g)
	res, err := monthly.Open(ctx, c, plan, monthly.OpenOptions{Period: period, Max: opts.Max, MaxFrom: maxFrom,
		DryRun: opts.DryRun, Out: opts.IO.Out, Sleep: opts.Sleep})
	// Issues GitHub refused are printed, and the run still ends as what
	// else ended it would: exit 2 when nothing else did, the others being open.
	var refused *monthly.RefusedError
	if errors.As(err, &refused) {
		if refused.Err == nil {
			return &check.InputError{Msg: fmt.Sprintf("opened %d issues; %v", len(res.Created), refused)}
		}
		fmt.Fprintf(opts.IO.ErrOut, "posture: %s\n", (&monthly.RefusedError{Period: refused.Period, Refused: refused.Refused}).Error())
		err = refused.Err
	}
	var capErr *monthly.CapError
	var rl *forge.RateLimitError
	switch {
	case err != nil && opts.DryRun:
		return dryRunFailed(err)
	case errors.As(err, &capErr):
		fmt.Fprintf(opts.IO.ErrOut, "posture: opened %d, %s\n", len(res.Created), err)
		return errFindings
	case errors.As(err, &rl):
		fmt.Fprintf(opts.IO.ErrOut, "posture: opened %d of %d missing issues, then GitHub's limit stopped the run (%s).\n"+
			"Run the same command again after %s to open the remaining %d; it skips what is open already.\n",
			len(res.Created), len(res.Created)+res.Remaining, rl.Reason, rl.ResumeAt.UTC().Format(time.RFC3339), res.Remaining)
		return errFindings
	case err != nil:
		return fmt.Errorf("opened %d issues, then: %w; run again to resume", len(res.Created), err)
	}
	if !opts.DryRun {
		fmt.Fprintf(opts.IO.Out, "%s: %d issues opened, %d were open already\n", period, len(res.Created), res.Existing)
	}
	return nil
}

// cycleBase is what the monthly commands read from the local clone.
type cycleBase struct {
	repo   *gitrepo.Repo
	commit *object.Commit
	tree   fs.FS
	judge  *check.Judge
}

// openCycleBase opens the clone at dir and loads what rev's tree trusts.
func openCycleBase(ctx context.Context, dir, rev string) (*cycleBase, error) {
	repo, err := gitrepo.Open(dir)
	if err != nil {
		return nil, &check.InputError{Msg: err.Error()}
	}
	b := &cycleBase{repo: repo}
	if b.commit, err = repo.Resolve(rev); err != nil {
		repo.Close()
		return nil, &check.InputError{Msg: err.Error()}
	}
	if b.tree, err = repo.TreeFS(b.commit); err == nil {
		b.judge, err = check.NewJudge(ctx, b.tree)
	}
	if err != nil {
		repo.Close()
		return nil, fmt.Errorf("read %s: %w", rev, err)
	}
	return b, nil
}

// cyclePeriod returns the period asked for, or the month of today.
func cyclePeriod(asked, today string) (string, error) {
	if asked == "" {
		return today[:7], nil
	}
	if !record.ValidPeriod(asked) {
		return "", usagef("--period %q is not a month written YYYY-MM", asked)
	}
	return asked, nil
}

// cycleGuide reads which platforms the policies expect an antivirus and a
// quick scan on from policies/config/data.yaml, so that the issue lists what the
// checker will ask for.
func cycleGuide(tree fs.FS) monthly.Guide {
	g := monthly.DefaultGuide()
	data, err := fs.ReadFile(tree, record.PolicyDir+"/config/data.yaml")
	if err != nil {
		return g
	}
	var d struct {
		AV    []string `yaml:"antivirus_platforms"`
		Quick []string `yaml:"quick_scan_platforms"`
	}
	if yaml.Unmarshal(data, &d) == nil && len(d.AV) > 0 {
		g.AVPlatforms, g.QuickPlatforms = d.AV, d.Quick
	}
	return g
}

// cycleSleep returns the sleep the factory's GitHub tuning injects (tests
// make it instant), or nil for a real timer.
func cycleSleep(f *Factory) func(context.Context, time.Duration) error {
	if f.TuneGitHub == nil {
		return nil
	}
	var o forge.Options
	f.TuneGitHub(&o)
	return o.Sleep
}

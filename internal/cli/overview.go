package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/posture-dev/posture/internal/atomicfile"
	"github.com/posture-dev/posture/internal/check"
	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/overview"
	"github.com/posture-dev/posture/internal/record"
	"github.com/posture-dev/posture/internal/settings"
	"github.com/spf13/cobra"
)

// OverviewOptions are the inputs of posture overview.
type OverviewOptions struct {
	IO     IOStreams
	Now    func() time.Time
	Getenv func(string) string
	GitHub func(GitHubOptions) (*forge.Client, error)

	Dir       string
	Rev       string
	Period    string
	Format    string
	Output    string
	UseGitHub bool
	Repo      string
	APIURL    string
	Cache     CacheFlags
}

// NewCmdOverview builds posture overview.
func NewCmdOverview(f *Factory, runF func(*OverviewOptions) error) *cobra.Command {
	opts := &OverviewOptions{IO: f.IO, Now: f.Now, Getenv: f.Getenv, GitHub: f.GitHub}
	cmd := &cobra.Command{
		Use:   "overview",
		Short: "Show the contractor's work queue of one period: whom to follow up, and why",
		Long: `Show, for every active employee and each of their devices active in a period, where the
report stands by the calendar of the organisation's timezone: failing, overdue (by how many
days), late (accepted after the due day), not due yet, excepted or on time; whether it passes,
the supervisor, the exceptions in force and the last twelve periods; totals per department
and overall; the share reported on time and passing per department and month; and the list to
follow up first: failing, then overdue, then late. Before the due day ends nothing is overdue.

Reads the committed tree of --rev in a clone, offline. Each merged report is checked with that
tree's rules as of the day of the commit that last changed it. With --github it also asks
GitHub for the open pull requests, and shows reports that are still in review, and for the
monthly issues, to link each person's. Links to GitHub use --repo, $GITHUB_REPOSITORY or the
clone's origin.

Formats: md (job summaries and issues), html (one self-contained page with filters, search,
sorting and a drill-down per person; docs/contractor.md), csv and json.`,
		Example: `  posture overview --period 2026-11
  posture overview --format html --output overview.html
  posture overview --github --format md >> "$GITHUB_STEP_SUMMARY"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return classify(runOverview(cmd.Context(), opts))
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Dir, "dir", "C", ".", "a `folder` in the repository's clone")
	fl.StringVar(&opts.Rev, "rev", "HEAD", "the `commit` (branch, tag or hash) whose tree is read")
	addPeriodFlag(cmd, f.Now, &opts.Period, "period", "the month, `YYYY-MM` (default the current month in the organisation's timezone)")
	addFormatFlag(cmd, &opts.Format, overview.Formats...)
	fl.StringVarP(&opts.Output, "output", "o", "", "write to this `file` instead of standard output")
	fl.BoolVar(&opts.UseGitHub, "github", false, "also list open pull requests that add reports, and the monthly issues ($GITHUB_TOKEN, $GITHUB_REPOSITORY)")
	fl.StringVarP(&opts.Repo, "repo", "R", "", "the GitHub repository as `OWNER/NAME`, for --github and the links (default $GITHUB_REPOSITORY, or the clone's origin)")
	fl.StringVar(&opts.APIURL, "api-url", "", "the GitHub REST API `url`, for --github (default $GITHUB_API_URL or api.github.com)")
	addCacheFlags(cmd, &opts.Cache)
	return cmd
}

func runOverview(ctx context.Context, opts *OverviewOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := overview.CheckFormat(opts.Format); err != nil {
		return usageError{err}
	}
	repo, err := gitrepo.Open(opts.Dir)
	if err != nil {
		return &check.InputError{Msg: err.Error()}
	}
	defer repo.Close()
	if opts.Period == "" {
		if opts.Period, err = currentPeriod(repo, opts.Rev, opts.Now()); err != nil {
			return err
		}
	}
	if !record.ValidPeriod(opts.Period) {
		return usagef("--period %q is not a period written YYYY-MM", opts.Period)
	}
	var inReview, issues map[string]int
	var c *forge.Client
	if opts.UseGitHub {
		if c, err = opts.GitHub(GitHubOptions{Repo: opts.Repo, APIURL: opts.APIURL}); err != nil {
			return err
		}
		if inReview, err = openReportPulls(ctx, c, opts.Period); err != nil {
			return err
		}
		// The issues only make links exact: without them (a token without
		// issues: read) each person's link searches for the issue.
		if issues, err = monthlyIssues(ctx, c, opts.Period); err != nil {
			fmt.Fprintf(opts.IO.ErrOut, "posture: the monthly issues are not linked, a search for each is (%v); give the token issues: read to link them\n", err)
		}
	}
	cache := opts.Cache.open(repo.Root(), opts.IO.ErrOut)
	o, err := overview.Build(ctx, overview.Options{Repo: repo, Rev: opts.Rev, Period: opts.Period, Now: opts.Now(),
		InReview: inReview, Issues: issues, RepoURL: repoWebURL(opts, c, repo), Cache: cache})
	if err != nil {
		return err
	}
	if cache != nil {
		closeCache(cache, opts.IO.ErrOut)
	}
	return writeTo(opts.IO.Out, opts.Output, func(w io.Writer) error { return overview.Write(w, opts.Format, o) })
}

// currentPeriod is the month of now in the timezone of rev's settings.
func currentPeriod(repo *gitrepo.Repo, rev string, now time.Time) (string, error) {
	c, err := repo.Resolve(rev)
	if err != nil {
		return "", &check.InputError{Msg: err.Error()}
	}
	fsys, err := repo.TreeFS(c)
	if err != nil {
		return "", err
	}
	s, _, err := settings.Load(fsys)
	if err != nil {
		return "", err
	}
	return now.In(s.Location).Format("2006-01"), nil
}

// openReportPulls maps the report paths of period that open pull requests
// add or change to the lowest such pull request's number.
func openReportPulls(ctx context.Context, c *forge.Client, period string) (map[string]int, error) {
	out := map[string]int{}
	opts := &github.PullRequestListOptions{State: "open", ListOptions: github.ListOptions{PerPage: 100}}
	var pulls []*github.PullRequest
	for {
		page, resp, err := c.GH().PullRequests.List(ctx, c.Owner(), c.Repo(), opts)
		if err != nil {
			return nil, fmt.Errorf("list open pull requests: %w", err)
		}
		pulls = append(pulls, page...)
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	prefix := record.ReportsDir + "/" + period + "/"
	for _, pr := range pulls {
		files, err := c.PullFiles(ctx, pr.GetNumber())
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			p := f.GetFilename()
			if f.GetStatus() == "removed" || !strings.HasPrefix(p, prefix) || strings.Contains(p[len(prefix):], "/") {
				continue
			}
			if n, ok := out[p]; !ok || pr.GetNumber() < n {
				out[p] = pr.GetNumber()
			}
		}
	}
	return out, nil
}

// writeTo calls write with out, or with the file named path when set: that
// file is replaced only once it is complete, and kept as it was on any error.
func writeTo(out io.Writer, path string, write func(io.Writer) error) error {
	if path == "" {
		if err := write(out); err != nil {
			return fmt.Errorf("write the output: %w", err)
		}
		return nil
	}
	f, err := atomicfile.Create(path, 0o666) // os.Create's mode, less the umask
	if err != nil {
		return &check.InputError{Msg: fmt.Sprintf("cannot write %s: %v", path, err)}
	}
	defer f.Close()
	if err := write(f); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Commit(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

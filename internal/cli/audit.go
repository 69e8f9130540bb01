package cli

import (
	"context"
	"io"
	"time"

	"github.com/posture-dev/posture/internal/audit"
	"github.com/posture-dev/posture/internal/check"
	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/overview"
	"github.com/spf13/cobra"
)

// AuditOptions are the inputs of posture audit.
type AuditOptions struct {
	IO  IOStreams
	Now func() time.Time

	Dir           string
	Branch        string
	From, To      string
	Format        string
	Output        string
	RequireSigned bool
	Cache         CacheFlags
}

// NewCmdAudit builds posture audit.
func NewCmdAudit(f *Factory, runF func(*AuditOptions) error) *cobra.Command {
	opts := &AuditOptions{IO: f.IO, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "audit --from YYYY-MM [--to YYYY-MM]",
		Short: "Trace every report of some periods through Git history, as an audit working paper",
		Long: `Walk the branch's first-parent history in a clone, offline, and write an audit working paper
for the periods --from to --to: the population of devices active in each period; for each
report the commit that added it, the merge that accepted it with its evidence trailers
(subject, supervisor and contractor approvals) and the result of checking it again with the
policies, schemas and registry of that merge; the exceptions in force; and the integrity
findings, each with the commit to look at: direct pushes, changes and deletions after
acceptance, approvals that do not hold, missing reports, gaps and rewrites in the history.

Formats: md and html (the working paper), csv (the evidence table) and json (everything).`,
		Example: `  posture audit --from 2026-01 --to 2026-12 --format html --output audit-2026.html
  posture audit --from 2026-11 --format csv > evidence.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return classify(runAudit(cmd.Context(), opts))
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Dir, "dir", "C", ".", "a `folder` in the repository's clone")
	fl.StringVar(&opts.Branch, "branch", "", "the audited `branch`, or origin/<branch> when there is no local one (default main, or HEAD)")
	addPeriodFlag(cmd, f.Now, &opts.From, "from", "the first month audited, `YYYY-MM` (required)")
	addPeriodFlag(cmd, f.Now, &opts.To, "to", "the last month audited, `YYYY-MM` (default --from)")
	addFormatFlag(cmd, &opts.Format, overview.Formats...)
	fl.StringVarP(&opts.Output, "output", "o", "", "write to this `file` instead of standard output")
	fl.BoolVar(&opts.RequireSigned, "require-signed", false, "report every unsigned commit that changed a report in scope")
	addCacheFlags(cmd, &opts.Cache)
	return cmd
}

func runAudit(ctx context.Context, opts *AuditOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := overview.CheckFormat(opts.Format); err != nil {
		return usageError{err}
	}
	if opts.From == "" {
		return usagef("name the first period audited with --from YYYY-MM")
	}
	if opts.To == "" {
		opts.To = opts.From
	}
	repo, err := gitrepo.Open(opts.Dir)
	if err != nil {
		return &check.InputError{Msg: err.Error()}
	}
	defer repo.Close()
	cache := opts.Cache.open(repo.Root(), opts.IO.ErrOut)
	a, err := audit.Run(ctx, audit.Options{Repo: repo, Branch: opts.Branch, From: opts.From, To: opts.To,
		RequireSigned: opts.RequireSigned, Version: Version(), Now: opts.Now, Cache: cache})
	if err != nil {
		return err
	}
	if cache != nil {
		closeCache(cache, opts.IO.ErrOut)
	}
	if err := writeTo(opts.IO.Out, opts.Output, func(w io.Writer) error { return audit.Write(w, opts.Format, a) }); err != nil {
		return err
	}
	for _, f := range a.Findings {
		if f.Severity == audit.Error {
			return errFindings
		}
	}
	return nil
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/issueform"
	"github.com/spf13/cobra"
)

// FromIssueOptions are the inputs of posture from-issue.
type FromIssueOptions struct {
	IO        IOStreams
	Now       func() time.Time
	Getenv    func(string) string
	GitHub    func(GitHubOptions) (*forge.Client, error)
	GitHubOpt GitHubOptions

	Dir, Base string
	Issue     int
	Into      string
}

// NewCmdFromIssue builds posture from-issue.
func NewCmdFromIssue(f *Factory, runF func(*FromIssueOptions) error) *cobra.Command {
	opts := &FromIssueOptions{IO: f.IO, Now: f.Now, Getenv: f.Getenv, GitHub: f.GitHub}
	cmd := &cobra.Command{
		Use:   "from-issue --issue N",
		Short: "Turn a submitted issue form into a pull request",
		Long: `Read issue N, a submitted form (monthly report, device registration or retirement), with the
form's questions from .github/ISSUE_TEMPLATE on --base. Build the record, with the issue's
author as GitHub reports it as the reporter or owner (never a name typed in the form), and judge
it exactly as posture check judges a pull request, with the rules and registry of --base.

Valid: write the file on branch posture/issue-N (made at --base's commit) and open a pull request
into --into whose body links the issue with posture's hidden marker. Invalid: keep one comment on
the issue listing each problem; editing the issue runs this again and updates it.`,
		Example: `  posture from-issue --issue 42`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return classify(runFromIssue(cmd.Context(), opts))
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Dir, "dir", "C", ".", "the clone's root `folder`")
	fl.StringVar(&opts.Base, "base", "HEAD", "the `ref` whose forms, rules and registry judge the form; the branch starts there")
	fl.IntVar(&opts.Issue, "issue", 0, "the issue `number`")
	fl.StringVar(&opts.Into, "into", "", "the `branch` the pull request goes into (default $GITHUB_REF_NAME, else main)")
	addRepoFlags(cmd, &opts.GitHubOpt)
	return cmd
}

func runFromIssue(ctx context.Context, opts *FromIssueOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if opts.Issue <= 0 {
		return usagef("name the issue with --issue N")
	}
	into := opts.Into
	if into == "" {
		into = opts.Getenv("GITHUB_REF_NAME")
	}
	if into == "" {
		into = "main"
	}
	b, err := openCycleBase(ctx, opts.Dir, opts.Base)
	if err != nil {
		return err
	}
	defer b.repo.Close()
	c, err := opts.GitHub(opts.GitHubOpt)
	if err != nil {
		return err
	}
	actAs(c, opts.Getenv, b.judge.Settings().BotLogin)
	out, err := issueform.Submit(ctx, c, issueform.SubmitOptions{Issue: opts.Issue, Base: b.tree, BaseSHA: b.commit.Hash.String(),
		Judge: b.judge, Into: into, Today: b.judge.Settings().Date(opts.Now())})
	var ie *issueform.InputError
	switch {
	case errors.As(err, &ie):
		return usageError{err}
	case err != nil:
		return err
	case len(out.Problems) > 0:
		fmt.Fprintf(opts.IO.Out, "issue #%d: %d problems, commented on the issue:\n", opts.Issue, len(out.Problems))
		for _, p := range out.Problems {
			where := p.Field
			if where == "" {
				where = "form"
			}
			fmt.Fprintf(opts.IO.Out, "  %s: %s\n", where, p.Message)
		}
		return errFindings
	case out.Skipped != "":
		fmt.Fprintf(opts.IO.Out, "issue #%d: %s\n", opts.Issue, out.Skipped)
	default:
		fmt.Fprintf(opts.IO.Out, "issue #%d: pull request #%d\n", opts.Issue, out.PullRequest)
	}
	return nil
}

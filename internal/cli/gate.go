package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/forge"
	"github.com/spf13/cobra"
)

// The commit statuses posture sets on a pull request's head; the branch
// ruleset requires both.
const (
	StatusCheck     = "posture/check"
	StatusApprovals = "posture/approvals"
)

// GateOptions are the inputs of posture gate.
type GateOptions struct {
	IO        IOStreams
	Now       func() time.Time
	Getenv    func(string) string
	GitHub    func(GitHubOptions) (*forge.Client, error)
	GitHubOpt GitHubOptions
	Pull      PullOptions
}

// NewCmdGate builds posture gate.
func NewCmdGate(f *Factory, runF func(*GateOptions) error) *cobra.Command {
	opts := &GateOptions{IO: f.IO, Now: f.Now, Getenv: f.Getenv, GitHub: f.GitHub}
	cmd := &cobra.Command{
		Use:   "gate --pr N",
		Short: "Set the posture/check and posture/approvals statuses of a pull request",
		Long: `Judge a pull request and set two commit statuses on its head commit:

  posture/check      posture check of the records it changes, judged by --base
  posture/approvals  success only when the subject's supervisor (or the escalation) and a
                     contractor on the roster have approved the head commit

Each reviewer's latest review counts. The subject's own approval never counts, nor the pull
request author's, nor an approval of an older commit, a dismissed review or a comment. Labels
and earlier statuses are never read. The description says who is still missing.

The clone at --dir has --base (the branch the pull request goes into) checked out and the
pull request's head fetched: git fetch origin pull/N/head. Nothing of the head is run.`,
		Example: `  posture gate --pr 12`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return classify(runGate(cmd.Context(), opts))
		},
	}
	addPullFlags(cmd, &opts.Pull)
	addRepoFlags(cmd, &opts.GitHubOpt)
	return cmd
}

// addPullFlags binds the flags route, gate and merge share.
func addPullFlags(cmd *cobra.Command, o *PullOptions) {
	fl := cmd.Flags()
	fl.IntVar(&o.PR, "pr", 0, "the pull request `number` (required)")
	fl.StringVarP(&o.Dir, "dir", "C", ".", "the clone's root `folder`")
	fl.StringVar(&o.Base, "base", "HEAD", "the trusted `ref` the pull request goes into")
}

func (o PullOptions) validate() error {
	if o.PR <= 0 {
		return usagef("name the pull request with --pr N")
	}
	return nil
}

// statusVerdict is one commit status to set.
type statusVerdict struct{ context, state, description string }

// verdicts are the statuses st deserves.
func (st *pullState) verdicts() []statusVerdict {
	files := statusCount(st.check.Checked, "file")
	chk := statusVerdict{StatusCheck, "success", "checked " + files + ": no problems"}
	if deny, warn := finding.Count(st.check.Findings); deny > 0 {
		chk = statusVerdict{StatusCheck, "failure", fmt.Sprintf("%s to fix, first %s", statusCount(deny, "problem"), firstDenial(st.check.Findings))}
	} else if warn > 0 {
		chk.description = "checked " + files + ": " + statusCount(warn, "warning")
	}
	apr := statusVerdict{StatusApprovals, "pending", st.outcome.Description(st.route)}
	switch {
	case st.refusal != "":
		apr = statusVerdict{StatusApprovals, "failure", "refused: " + st.refusal}
	case st.noRecords:
		apr = statusVerdict{StatusApprovals, "success", "no report or device changes: the code owners review the trusted files"}
	case st.outcome.Complete():
		apr.state = "success"
	}
	return []statusVerdict{chk, apr}
}

// statusCount returns "1 file" or "2 files".
func statusCount(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func firstDenial(fs []finding.Finding) string {
	for _, f := range fs {
		if f.Severity == finding.Deny {
			if f.File == "" {
				return fmt.Sprintf("[%s] %s", f.Rule, f.Message)
			}
			return fmt.Sprintf("[%s] %s:%d: %s", f.Rule, f.File, f.Line, f.Message)
		}
	}
	return ""
}

func runGate(ctx context.Context, opts *GateOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	kind, err := tokenKind(opts.Getenv)
	if err != nil {
		return err
	}
	c, st, err := openPull(ctx, opts.GitHub, opts.GitHubOpt, opts.Pull, opts.Now())
	if err != nil {
		return err
	}
	if !st.open() {
		fmt.Fprintf(opts.IO.Out, "pull request #%d is %s: no status set\n", st.n, st.pr.GetState())
		return nil
	}
	vs := st.verdicts()
	for i := range vs {
		vs[i].description = statusDescription(vs[i].description, kind)
	}
	if err := setStatuses(ctx, c, st.head, vs, statusTargetURL(opts.Getenv, st.pr), statusAuthor(kind, st.botLogin)); err != nil {
		return err
	}
	ok := true
	for _, v := range vs {
		fmt.Fprintf(opts.IO.Out, "%s: %s: %s\n", v.context, v.state, v.description)
		ok = ok && v.state == "success"
	}
	if !ok {
		return errFindings
	}
	return nil
}

// statusAuthor is the login that the statuses a token of kind sets come
// from: the posture app's bot, or GitHub Actions' (the workflow's token);
// "" when posture cannot tell (a person's own token, run by hand: the
// statuses of that repository are the person's to trust).
func statusAuthor(kind, botLogin string) string {
	switch kind {
	case TokenApp:
		return botLogin
	case TokenActions:
		return "github-actions[bot]"
	}
	return ""
}

// setStatuses sets each verdict on the head commit, unless the newest
// status of that context is one self set that already says the same. A
// status of anyone else never counts: a ruleset can require the check from
// posture's app alone, and an equal status another account posted must not
// keep posture from posting its own. With self "" the newest status counts
// whoever set it.
func setStatuses(ctx context.Context, c *forge.Client, head string, vs []statusVerdict, target, self string) error {
	have, _, err := c.GH().Repositories.ListStatuses(ctx, c.Owner(), c.Repo(), head, &github.ListOptions{PerPage: 100})
	if err != nil {
		return fmt.Errorf("list the statuses of %.12s: %w", head, err)
	}
	latest := map[string]*github.RepoStatus{}
	for _, s := range have { // newest first
		if _, ok := latest[s.GetContext()]; !ok {
			latest[s.GetContext()] = s
		}
	}
	for _, v := range vs {
		if s := latest[v.context]; s != nil && (self == "" || forge.SameBot(s.GetCreator().GetLogin(), self)) &&
			s.GetState() == v.state && s.GetDescription() == v.description {
			continue
		}
		if err := c.SetStatus(ctx, head, v.context, v.state, v.description, target); err != nil {
			return err
		}
	}
	return nil
}

// maxDescription is the most characters GitHub keeps of a status
// description; it refuses a longer one.
const maxDescription = 140

// statusDescription is the description of a status that a token of kind
// sets: with the GitHub Actions token it ends with actionsTokenSuffix.
// It fits GitHub's limit: a long text is cut, never the suffix, so that
// the stored description is exactly what the next run compares with.
func statusDescription(text, kind string) string {
	suffix := ""
	if kind == TokenActions {
		suffix = actionsTokenSuffix
	}
	r, room := []rune(text), maxDescription-len([]rune(suffix))
	if len(r) > room {
		r = append(r[:room-1], '…')
	}
	return string(r) + suffix
}

// statusTargetURL links a status to the workflow run that set it, or to the pull request.
func statusTargetURL(getenv func(string) string, pr *github.PullRequest) string {
	server, repo, run := getenv("GITHUB_SERVER_URL"), getenv("GITHUB_REPOSITORY"), getenv("GITHUB_RUN_ID")
	if server != "" && repo != "" && run != "" {
		return server + "/" + repo + "/actions/runs/" + run
	}
	return pr.GetHTMLURL()
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/posture-dev/posture/internal/evidence"
	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/forge"
	"github.com/spf13/cobra"
)

// MergeOptions are the inputs of posture merge.
type MergeOptions struct {
	IO        IOStreams
	Now       func() time.Time
	GitHub    func(GitHubOptions) (*forge.Client, error)
	GitHubOpt GitHubOptions
	Pull      PullOptions
}

// mergeMethod is always a merge commit: its second parent is the approved
// head, which the audit checks against the evidence trailers. A squash
// commit would carry the trailers without the commits they name.
const mergeMethod = "merge"

// NewCmdMerge builds posture merge.
func NewCmdMerge(f *Factory, runF func(*MergeOptions) error) *cobra.Command {
	opts := &MergeOptions{IO: f.IO, Now: f.Now, GitHub: f.GitHub}
	cmd := &cobra.Command{
		Use:   "merge --pr N",
		Short: "Merge an approved pull request with the evidence in the commit message",
		Long: `Merge a pull request whose records pass posture check and whose head commit the subject's
supervisor and a contractor on the roster approved, judging both again here rather than
trusting any status or label. The merge goes through GitHub's API for exactly the approved
head commit, with a commit message whose trailers record the evidence: the report paths, the
subject, the pull request's author, each approver with role, review id, time and commit,
posture's version and the base commit whose policies judged it. Auditors then need only a clone.

Anything missing is refused with the reason (exit 1). A pull request merged already, perhaps
by an earlier run whose answer was lost, is reported and never merged twice.`,
		Example: `  posture merge --pr 12`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return classify(runMerge(cmd.Context(), opts))
		},
	}
	addPullFlags(cmd, &opts.Pull)
	addRepoFlags(cmd, &opts.GitHubOpt)
	return cmd
}

func runMerge(ctx context.Context, opts *MergeOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	c, st, err := openPull(ctx, opts.GitHub, opts.GitHubOpt, opts.Pull, opts.Now())
	if err != nil {
		return err
	}
	n, out := st.n, opts.IO.Out
	if st.pr.GetMerged() {
		fmt.Fprintf(out, "pull request #%d is merged already (%s): nothing to do\n", n, st.pr.GetMergeCommitSHA())
		return nil
	}
	reasons := st.refusals()
	if len(reasons) == 0 && st.pr.GetHead().GetRepo().GetFullName() == st.pr.GetBase().GetRepo().GetFullName() {
		reasons = headBranch(ctx, c, st)
	}
	if len(reasons) > 0 {
		return refuseMerge(opts.IO, n, reasons)
	}
	build := currentBuild()
	ev := evidence.Evidence{PullRequest: n, Reports: st.records, Subject: st.route.Subject.Evidence(), Author: st.pr.GetUser().GetLogin(),
		Approvals: st.outcome.Approvals(), Version: build.Version, Revision: build.Revision, Modified: build.Modified,
		PolicyBase: st.baseSHA}
	title, message := ev.MergeCommit(st.pr.GetTitle(), st.head)
	sha, err := c.Merge(ctx, n, st.head, mergeMethod, title, message)
	var me *forge.MergeError
	switch {
	case errors.As(err, &me) && me.Merged:
		fmt.Fprintf(out, "pull request #%d is merged already, perhaps by an earlier attempt whose answer was lost: nothing to do\n", n)
		return nil
	case errors.As(err, &me) && me.HeadMoved():
		return refuseMerge(opts.IO, n, []string{"its head moved away from the approved commit " + shortSHA(st.head) + "; the new head needs its own approvals"})
	case errors.As(err, &me):
		return refuseMerge(opts.IO, n, []string{"GitHub refused the merge: " + me.Message})
	case err != nil:
		return err
	}
	fmt.Fprintf(out, "merged #%d as %s\n\n%s", n, sha, ev.Trailers())
	return nil
}

// refusals lists everything that stands between st and a merge.
func (st *pullState) refusals() []string {
	var out []string
	if !st.open() {
		return []string{"it is closed"}
	}
	if st.pr.GetDraft() {
		out = append(out, "it is a draft: mark it ready for review")
	}
	if deny, _ := finding.Count(st.check.Findings); deny > 0 {
		out = append(out, fmt.Sprintf("posture check found %s, first %s", statusCount(deny, "problem"), firstDenial(st.check.Findings)))
	}
	switch {
	case st.refusal != "":
		out = append(out, st.refusal)
	case st.noRecords:
		out = append(out, "it changes no report or device: posture merges only those; merge it on GitHub after the code owners' review")
	case !st.outcome.Complete():
		out = append(out, st.outcome.Description(st.route)+" (each must approve the head commit "+shortSHA(st.head)+")")
	}
	return out
}

// headBranch refuses a same-repository pull request whose branch was
// deleted or moved since it was read.
func headBranch(ctx context.Context, c *forge.Client, st *pullState) []string {
	branch := st.pr.GetHead().GetRef()
	ref, err := c.GetRef(ctx, "heads/"+branch)
	switch {
	case errors.Is(err, forge.ErrNotFound):
		return []string{fmt.Sprintf("its branch %q was deleted: restore the branch, or close the pull request", branch)}
	case err != nil:
		return []string{fmt.Sprintf("its branch %q could not be read: %v", branch, err)}
	case ref.GetObject().GetSHA() != st.head:
		return []string{fmt.Sprintf("its branch %q moved to %s after the approved head %s", branch, shortSHA(ref.GetObject().GetSHA()), shortSHA(st.head))}
	}
	return nil
}

func refuseMerge(io IOStreams, n int, reasons []string) error {
	fmt.Fprintf(io.ErrOut, "posture: merge of #%d refused:\n", n)
	for _, r := range reasons {
		fmt.Fprintf(io.ErrOut, "  - %s\n", r)
	}
	return errFindings
}

func shortSHA(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}

package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/posture-dev/posture/internal/check"
	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/gate"
	"github.com/spf13/cobra"
)

// RouteOptions are the inputs of posture route.
type RouteOptions struct {
	IO        IOStreams
	Now       func() time.Time
	Getenv    func(string) string
	GitHub    func(GitHubOptions) (*forge.Client, error)
	GitHubOpt GitHubOptions
	Pull      PullOptions
}

// NewCmdRoute builds posture route.
func NewCmdRoute(f *Factory, runF func(*RouteOptions) error) *cobra.Command {
	opts := &RouteOptions{IO: f.IO, Now: f.Now, Getenv: f.Getenv, GitHub: f.GitHub}
	cmd := &cobra.Command{
		Use:   "route --pr N",
		Short: "Request the reviews a pull request needs and show its state",
		Long: `Route a pull request: work out its subject (whose reports and devices it changes), the
subject's supervisor from people/ on --base (escalating past a supervisor who is the subject,
inactive or missing) and the contractor inspectors on the roster; request the reviews still
missing; set the labels that show each role's state; and keep one comment on the pull request
up to date with posture check's findings, who must approve and what is still missing.

It is idempotent: a second run with nothing new makes no request, adds no label and leaves
the comment alone. Labels are display only; posture gate sets the status that decides.`,
		Example: `  posture route --pr 12`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return classify(runRoute(cmd.Context(), opts))
		},
	}
	addPullFlags(cmd, &opts.Pull)
	addRepoFlags(cmd, &opts.GitHubOpt)
	return cmd
}

func runRoute(ctx context.Context, opts *RouteOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	c, st, err := openPull(ctx, opts.GitHub, opts.GitHubOpt, opts.Pull, opts.Now())
	if err != nil {
		return err
	}
	out := opts.IO.Out
	if !st.open() {
		fmt.Fprintf(out, "pull request #%d is %s: nothing to route\n", st.n, st.pr.GetState())
		return nil
	}
	actAs(c, opts.Getenv, st.botLogin)
	prev, err := c.FindComment(ctx, st.n, gate.Marker)
	if err != nil {
		return err
	}
	refused := gate.PreviousRefusals(prev.GetBody(), st.head)
	routed := st.refusal == "" && !st.noRecords
	// Reviews are requested once posture check passes: a reviewer's
	// approval counts only for the head commit, and the fix the employee
	// must push would need it again (docs/admin.md).
	if deny, _ := finding.Count(st.check.Findings); routed && deny == 0 {
		asked, more, err := requestReviews(ctx, c, st, refused)
		if err != nil {
			return err
		}
		refused = append(refused, more...)
		if len(asked) > 0 {
			fmt.Fprintf(out, "requested reviews from @%s\n", strings.Join(asked, ", @"))
		}
	}
	var labels []gate.Label
	if routed {
		labels = st.outcome.Labels()
	}
	if err := syncLabels(ctx, c, st, labels); err != nil {
		return err
	}
	body := gate.Comment(gate.Report{Head: st.head, Records: st.records, Refusal: st.refusal, NoRecords: st.noRecords,
		Route: st.route, Outcome: st.outcome, Findings: st.check.Findings, Refused: refused,
		Changed: st.changed, Waivers: waivers(st.check.Exceptions)})
	if prev.GetBody() != body {
		if _, err := c.UpsertComment(ctx, st.n, gate.Marker, body); err != nil {
			return err
		}
	}
	switch {
	case prev == nil:
		fmt.Fprintf(out, "commented on #%d\n", st.n)
	case prev.GetBody() != body:
		fmt.Fprintf(out, "updated the comment on #%d\n", st.n)
	}
	switch {
	case st.refusal != "":
		fmt.Fprintf(out, "#%d refused: %s\n", st.n, st.refusal)
	case st.noRecords:
		fmt.Fprintf(out, "#%d changes no report or device: the code owners review it\n", st.n)
	case st.outcome.Complete():
		fmt.Fprintf(out, "#%d: %s\n", st.n, st.outcome.Description(st.route))
	default:
		fmt.Fprintf(out, "#%d: subject %s; %s\n", st.n, st.route.Subject.Mention(), st.outcome.Description(st.route))
	}
	return nil
}

// requestReviews asks for the reviews still missing: the people a role
// needs that are not requested already, did not review the head commit
// and were not refused by GitHub for it before.
func requestReviews(ctx context.Context, c *forge.Client, st *pullState, refused []gate.Refused) ([]string, []gate.Refused, error) {
	var want []gate.Person
	if st.outcome.Supervisor == nil {
		want = append(want, st.route.Supervisors...)
	}
	if st.outcome.Contractor == nil {
		want = append(want, st.route.Contractors...)
	}
	if len(want) == 0 {
		return nil, nil, nil
	}
	users, _, err := c.RequestedReviewers(ctx, st.n)
	if err != nil {
		return nil, nil, err
	}
	skip := slices.Concat(users, st.onHead)
	for _, r := range refused {
		skip = append(skip, r.Login)
	}
	var logins []string
	for _, p := range want {
		has := func(l string) bool { return strings.EqualFold(l, p.Login) }
		if !slices.ContainsFunc(skip, has) && !slices.ContainsFunc(logins, has) {
			logins = append(logins, p.Login)
		}
	}
	res, err := c.RequestReviewers(ctx, st.n, logins)
	if err != nil {
		return nil, nil, err
	}
	var more []gate.Refused
	for _, r := range res.Refused {
		more = append(more, gate.Refused{Login: r.Login, Reason: r.Reason})
	}
	return res.Requested, more, nil
}

// syncLabels makes posture's labels on the pull request exactly want,
// creating a label in the repository (with its color and description)
// before it is first used. Other labels are left alone.
func syncLabels(ctx context.Context, c *forge.Client, st *pullState, want []gate.Label) error {
	var have []string
	for _, l := range st.pr.Labels {
		have = append(have, l.GetName())
	}
	for _, name := range have {
		keep := slices.ContainsFunc(want, func(l gate.Label) bool { return strings.EqualFold(l.Name, name) })
		if gate.Managed(name) && !keep {
			if err := c.RemoveLabel(ctx, st.n, name); err != nil {
				return err
			}
		}
	}
	var add []string
	for _, l := range want {
		if slices.ContainsFunc(have, func(h string) bool { return strings.EqualFold(h, l.Name) }) {
			continue
		}
		if err := c.EnsureLabel(ctx, l.Name, l.Color, l.Description); err != nil {
			return err
		}
		add = append(add, l.Name)
	}
	return c.AddLabels(ctx, st.n, add...)
}

func waivers(es []check.Exception) []gate.Waiver {
	var out []gate.Waiver
	for _, e := range es {
		out = append(out, gate.Waiver{Path: e.Path, Rule: e.Rule, Device: e.Device, Expires: e.Expires, Reason: e.Reason})
	}
	return out
}

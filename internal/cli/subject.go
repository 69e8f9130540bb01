package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/go-github/v60/github"
	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/issuelink"
	"github.com/posture-dev/posture/internal/settings"
	"github.com/spf13/cobra"
)

// SubjectOptions are the inputs of posture subject.
type SubjectOptions struct {
	IO        IOStreams
	GitHub    func(GitHubOptions) (*forge.Client, error)
	GitHubOpt GitHubOptions

	Dir     string
	Base    string
	PR      int
	HeadSHA string
	Format  string
}

// NewCmdSubject builds posture subject.
func NewCmdSubject(f *Factory, runF func(*SubjectOptions) error) *cobra.Command {
	opts := &SubjectOptions{IO: f.IO, GitHub: f.GitHub}
	cmd := &cobra.Command{
		Use:   "subject --pr N",
		Short: "Print the GitHub login a pull request speaks for",
		Long: `Print the GitHub login a pull request speaks for: its author, or for a pull request the bot
(bot_login in posture.yaml on --base) opened from an issue form, the author of the issue its
body links with posture's hidden marker, as GitHub reports it. Pass it to
posture check --author, which refuses reports and devices of anyone else.

A bot pull request without the marker, from another branch than posture/issue-N, or linking
something that is not an issue, is refused (exit 1).

With --head-sha instead of --pr, the open pull request whose head is that commit is found
first (a workflow_run event does not name the pull request of a fork). --format env prints
pr=, head= and login= lines for $GITHUB_OUTPUT.`,
		Example: `  posture subject --pr 12
  posture subject --head-sha "$HEAD_SHA" --format env >> "$GITHUB_OUTPUT"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return classify(runSubject(cmd.Context(), opts))
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Dir, "dir", "C", ".", "the clone's root `folder`")
	fl.StringVar(&opts.Base, "base", "HEAD", "the trusted base `ref` whose posture.yaml names the bot")
	fl.IntVar(&opts.PR, "pr", 0, "the pull request `number`")
	fl.StringVar(&opts.HeadSHA, "head-sha", "", "find the open pull request whose head is this `commit`")
	addFormatFlag(cmd, &opts.Format, "login", "env")
	addRepoFlags(cmd, &opts.GitHubOpt)
	return cmd
}

func runSubject(ctx context.Context, opts *SubjectOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if (opts.PR > 0) == (opts.HeadSHA != "") {
		return usagef("name the pull request with --pr N or --head-sha SHA (one of them)")
	}
	if opts.Format != "login" && opts.Format != "env" {
		return usagef("unknown --format %q: use login or env", opts.Format)
	}
	c, err := opts.GitHub(opts.GitHubOpt)
	if err != nil {
		return err
	}
	n := opts.PR
	if n == 0 {
		if n, err = pullForHead(ctx, c, opts.HeadSHA); err != nil {
			return err
		}
	}
	pr, err := fetchPull(ctx, c, n)
	if err != nil {
		return err
	}
	s, err := trustedSettings(opts.Dir, opts.Base)
	if err != nil {
		return err
	}
	login, _, refusal, err := resolveIdentity(ctx, c, pr, s.BotLogin)
	if err != nil {
		return err
	}
	if opts.Format == "env" {
		fmt.Fprintf(opts.IO.Out, "pr=%d\nhead=%s\nlogin=%s\n", n, pr.GetHead().GetSHA(), login)
	} else if refusal == "" {
		fmt.Fprintln(opts.IO.Out, login)
	}
	if refusal != "" {
		fmt.Fprintf(opts.IO.ErrOut, "posture: pull request #%d refused: %s\n", n, refusal)
		return errFindings
	}
	return nil
}

// fetchPull returns pull request n; a missing one is a usage error.
func fetchPull(ctx context.Context, c *forge.Client, n int) (*github.PullRequest, error) {
	pr, err := c.PullRequest(ctx, n)
	if errors.Is(err, forge.ErrNotFound) {
		return nil, usagef("no pull request #%d in %s/%s", n, c.Owner(), c.Repo())
	}
	return pr, err
}

// pullForHead finds the one open pull request whose head commit is sha.
func pullForHead(ctx context.Context, c *forge.Client, sha string) (int, error) {
	var found []int
	opts := &github.PullRequestListOptions{State: "open", ListOptions: github.ListOptions{PerPage: 100}}
	for {
		prs, resp, err := c.GH().PullRequests.List(ctx, c.Owner(), c.Repo(), opts)
		if err != nil {
			return 0, fmt.Errorf("list open pull requests: %w", err)
		}
		for _, pr := range prs {
			if strings.EqualFold(pr.GetHead().GetSHA(), sha) {
				found = append(found, pr.GetNumber())
			}
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	switch len(found) {
	case 0:
		return 0, usagef("no open pull request has head %s", sha)
	case 1:
		return found[0], nil
	}
	return 0, usagef("open pull requests %v all have head %s: name one with --pr", found, sha)
}

// resolveIdentity returns the GitHub login pull request pr speaks for: its
// author, or for a pull request the bot opened from an issue form, the
// author of the linked issue as GitHub reports it (never a name typed into
// the form). refusal says why a bot pull request cannot be attributed.
func resolveIdentity(ctx context.Context, c *forge.Client, pr *github.PullRequest, bot string) (login string, issue int, refusal string, err error) {
	author := pr.GetUser().GetLogin()
	if !forge.SameBot(author, bot) {
		return author, 0, "", nil
	}
	n, ok := issuelink.Parse(pr.GetBody())
	if !ok {
		return "", 0, fmt.Sprintf("it was opened by the bot @%s without one link to its issue (%s in its body); the bot's pull requests are accepted only when made from an issue form", author, issuelink.Marker(1)), nil
	}
	if ref := pr.GetHead().GetRef(); ref != issuelink.Branch(n) {
		return "", n, fmt.Sprintf("it links issue #%d but comes from branch %q, not %q", n, ref, issuelink.Branch(n)), nil
	}
	if h, b := pr.GetHead().GetRepo().GetFullName(), pr.GetBase().GetRepo().GetFullName(); !strings.EqualFold(h, b) {
		return "", n, fmt.Sprintf("it links issue #%d but comes from %s, not from this repository", n, h), nil
	}
	is, err := c.Issue(ctx, n)
	switch {
	case errors.Is(err, forge.ErrNotFound):
		return "", n, fmt.Sprintf("it links issue #%d, which does not exist", n), nil
	case err != nil:
		return "", n, "", err
	case is.IsPullRequest():
		return "", n, fmt.Sprintf("it links #%d, which is a pull request, not an issue", n), nil
	case is.GetUser().GetLogin() == "" || forge.SameBot(is.GetUser().GetLogin(), bot):
		return "", n, fmt.Sprintf("it links issue #%d, which the bot opened itself", n), nil
	}
	return is.GetUser().GetLogin(), n, "", nil
}

// trustedSettings reads posture.yaml from the trusted commit base of the clone.
func trustedSettings(dir, base string) (settings.Settings, error) {
	b, err := openTrustedBase(dir, base)
	if err != nil {
		return settings.Settings{}, err
	}
	defer b.repo.Close()
	return b.settings, nil
}

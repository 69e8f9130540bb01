package cli

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/posture-dev/posture/internal/doctor"
	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/scaffold"
	"github.com/posture-dev/posture/internal/settings"
	"github.com/posture-dev/posture/internal/textsafe"
	"github.com/spf13/cobra"
)

// DoctorOptions are the inputs of posture doctor.
type DoctorOptions struct {
	IO     IOStreams
	Getenv func(string) string
	GitHub func(GitHubOptions) (*forge.Client, error)
	// AppGitHub returns a client with the posture app's installation token
	// ($POSTURE_APP_TOKEN), or nil when none is set.
	AppGitHub func(GitHubOptions) (*forge.Client, error)
	GitHubOpt GitHubOptions

	Dir   string
	AppID int64
}

// NewCmdDoctor builds posture doctor.
func NewCmdDoctor(f *Factory, runF func(*DoctorOptions) error) *cobra.Command {
	opts := &DoctorOptions{IO: f.IO, Getenv: f.Getenv, GitHub: f.GitHub, AppGitHub: appGitHub(f)}
	cmd := &cobra.Command{
		Use:   "doctor [-R OWNER/NAME]",
		Short: "Check the GitHub settings posture relies on",
		Long: `Read the GitHub side of the posture repository and print one line per requirement: ok, FAIL
with what to do, or ?? when the token may not read it (with the permission it lacks). It reads,
never changes: the repository's visibility and merge settings, the ruleset on the default
branch, the posture environment with its branch policy, secret and variable, the labels, the
Actions permissions, the posture GitHub App, and (with $POSTURE_APP_TOKEN) its installation.

The app is the one whose login is bot_login in the clone's posture.yaml ("<slug>[bot]"): doctor
asks GitHub for it (GET /apps/<slug>), checks that its client id is the environment's variable
POSTURE_APP_CLIENT_ID and that its permissions and events are those docs/admin.md lists, and
checks that the ruleset requires the statuses from its id, or from --app-id when given.

Run it with a repository admin's token in $GITHUB_TOKEN: GitHub shows a ruleset's bypass list,
the merge settings and the Actions permissions only to those who may change them. Whether the
posture app is installed on the repository GitHub tells only the app itself, so set
$POSTURE_APP_TOKEN to an installation token of the app to check it. docs/doctor.md explains
every line.`,
		Example: `  posture doctor
  posture doctor -R acme/device-reports --app-id 12345
  POSTURE_APP_TOKEN=ghs_... posture doctor`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return classify(runDoctor(cmd.Context(), opts))
		},
	}
	fl := cmd.Flags()
	addRepoFlag(cmd, &opts.GitHubOpt, "the GitHub repository as `OWNER/NAME` (default $GITHUB_REPOSITORY, or the origin remote of the clone at --dir)")
	fl.StringVar(&opts.GitHubOpt.APIURL, "api-url", "", "the GitHub REST API `url` (default $GITHUB_API_URL or api.github.com)")
	fl.StringVarP(&opts.Dir, "dir", "C", ".", "the clone's root `folder`: its posture.yaml names the posture app (bot_login), and its origin remote the repository when --repo and $GITHUB_REPOSITORY do not")
	fl.Int64Var(&opts.AppID, "app-id", 0, "the posture GitHub App's `id`, which the ruleset must require the statuses from (default the id GitHub gives for the app bot_login names)")
	return cmd
}

// appGitHub returns the client maker for the posture app's installation
// token, the Factory's own with $POSTURE_APP_TOKEN as the token.
func appGitHub(f *Factory) func(GitHubOptions) (*forge.Client, error) {
	return func(o GitHubOptions) (*forge.Client, error) {
		token := f.Getenv(doctor.AppTokenEnv)
		if token == "" {
			return nil, nil
		}
		g := *f
		g.Getenv = func(k string) string {
			switch k {
			case "GITHUB_TOKEN":
				return token
			case "GH_TOKEN":
				return ""
			}
			return f.Getenv(k)
		}
		return g.GitHub(o)
	}
}

func runDoctor(ctx context.Context, opts *DoctorOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if opts.AppID < 0 {
		return usagef("--app-id %d is no app id: use the App ID on the posture app's settings page", opts.AppID)
	}
	want, err := doctorWant(opts.Dir)
	if err != nil {
		return err
	}
	want.AppID = opts.AppID
	want.Statuses = []string{StatusCheck, StatusApprovals}
	gh := opts.GitHubOpt
	if gh.Repo == "" && opts.Getenv("GITHUB_REPOSITORY") == "" {
		repo, err := originRepo(opts.Dir)
		if err != nil {
			return err
		}
		gh.Repo = repo
	}
	c, err := opts.GitHub(gh)
	if err != nil {
		return err
	}
	app, err := opts.AppGitHub(gh)
	if err != nil {
		return err
	}
	want.Repo = c.Owner() + "/" + c.Repo()
	slug, _ := doctor.AppSlug(want.BotLogin)
	s, err := c.ReadSettings(ctx, forge.SettingsRequest{Environment: doctor.Environment, AppSlug: slug, Installation: app})
	switch {
	case errors.Is(err, forge.ErrUnauthorized):
		return usagef("GitHub refused the token in $GITHUB_TOKEN: set a valid one (%v)", err)
	case errors.Is(err, forge.ErrNotFound):
		return usagef("no repository %s, or the token in $GITHUB_TOKEN cannot see it", want.Repo)
	case errors.Is(err, forge.ErrForbidden):
		return usagef("the token in $GITHUB_TOKEN may not read %s (%v)", want.Repo, err)
	case err != nil:
		return err
	}
	items := doctor.Check(s, want)
	failed, unknown := 0, 0
	for _, it := range items {
		fmt.Fprintln(opts.IO.Out, textsafe.Escape(it.String(), textsafe.EscapeBreaks))
		switch it.Status {
		case doctor.Fail:
			failed++
		case doctor.Unknown:
			unknown++
		}
	}
	if failed+unknown == 0 {
		return nil
	}
	fmt.Fprintf(opts.IO.ErrOut, "posture doctor: %d of %d items fail, %d could not be checked; docs/doctor.md says what each line means\n",
		failed, len(items), unknown)
	return errFindings
}

// doctorWant reads bot_login from the posture.yaml of the clone at dir,
// and the action its workflows call from its posture.lock.
// A file that cannot be parsed is a usage error; a missing one is for
// the bot_login line to say.
func doctorWant(dir string) (doctor.Want, error) {
	w := doctor.Want{SettingsFile: filepath.Join(dir, settings.File)}
	s, fs, err := settings.Load(os.DirFS(dir))
	switch {
	case err != nil:
		return w, usagef("%v", err)
	case s.Record == nil && len(fs) > 0:
		return w, usagef("%s:%d:%d: %s; doctor reads bot_login from it, the posture app's login (posture check lists every problem)",
			w.SettingsFile, fs[0].Line, fs[0].Column, fs[0].Message)
	}
	w.BotLogin, w.NoSettings = s.BotLogin, s.Record == nil
	// posture.lock names the ref the workflows pin posture's action at;
	// without one (or with one that does not parse) doctor does not know it.
	if l, err := scaffold.ReadLock(os.DirFS(dir)); err == nil {
		w.Action = l.Action
	}
	return w, nil
}

// originRepo returns the OWNER/NAME of the origin remote of the clone at dir.
func originRepo(dir string) (string, error) {
	const ask = "name the repository with --repo OWNER/NAME or $GITHUB_REPOSITORY"
	r, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if err != nil {
		return "", usagef("%s (%s is no Git clone whose origin remote could name it)", ask, dir)
	}
	rem, err := r.Remote("origin")
	if err != nil {
		return "", usagef("%s (the clone at %s has no origin remote)", ask, dir)
	}
	urls := rem.Config().URLs
	for _, u := range urls {
		if repo, ok := repoFromURL(u); ok {
			return repo, nil
		}
	}
	return "", usagef("%s (the origin remote %s names no OWNER/NAME)", ask, strings.Join(urls, ", "))
}

// repoFromURL reads OWNER/NAME from a GitHub remote URL:
// https://github.com/OWNER/NAME(.git), ssh://git@host/OWNER/NAME.git or
// git@host:OWNER/NAME.git.
func repoFromURL(raw string) (string, bool) {
	var path string
	if u, err := url.Parse(raw); err == nil && u.Scheme != "" && u.Host != "" && u.Scheme != "file" {
		path = u.Path
	} else if host, rest, ok := strings.Cut(raw, ":"); ok && host != "" && !strings.ContainsAny(host, "/\\") && !strings.HasPrefix(rest, "//") {
		path = rest // scp-like: [user@]host:OWNER/NAME.git
	} else {
		return "", false
	}
	parts := strings.Split(strings.TrimSuffix(strings.Trim(path, "/"), ".git"), "/")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return "", false
	}
	return parts[0] + "/" + parts[1], true
}

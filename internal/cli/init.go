package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/posture-dev/posture/internal/demo"
	"github.com/posture-dev/posture/internal/scaffold"
	"github.com/spf13/cobra"
)

// populateDemo is the hook of posture init --demo: it is given the new
// repository (committed, in the temporary folder that becomes DIR) and
// writes the demo organisation's year of history into it, with merge
// trailers naming this build as posture merge's would.
var populateDemo = func(ctx context.Context, dir string, now time.Time) error {
	b := currentBuild()
	return demo.PopulateAs(ctx, dir, now, demo.Build{Version: b.Version, Revision: b.Revision, Modified: b.Modified})
}

// The organisation posture init --demo makes when --org and --admin are not
// given: the demo's own, as at the root of posture's repository.
const (
	demoOrg   = "Example Corp"
	demoAdmin = "mei-fujita-example"
	// demoAdminName is the demo admin's name, when the admin is the demo's.
	demoAdminName = "Mei Fujita"
)

// InitOptions are the inputs of posture init.
type InitOptions struct {
	IO  IOStreams
	Now func() time.Time
	// Build is the running posture, which the workflows pin.
	Build Build
	// Interactive asks for what no flag gave (stdin is a terminal).
	Interactive bool

	Dir        string
	Org        string
	Admin      string
	AdminName  string
	AdminEmail string
	Timezone   string
	SSIDs      []string
	DueDay     int
	Repo       string
	ActionRef  string
	Demo       bool
	// Given lists the flags set on the command line.
	Given map[string]bool
}

// NewCmdInit builds posture init.
func NewCmdInit(f *Factory, runF func(*InitOptions) error) *cobra.Command {
	opts := &InitOptions{IO: f.IO, Now: f.Now, Build: currentBuild(), Interactive: isTerminal(f.IO.In)}
	cmd := &cobra.Command{
		Use:   "init DIR --org NAME --admin LOGIN",
		Short: "Make an organisation's posture repository",
		Long: `Make DIR (new, or an empty folder) a complete posture repository for an organisation, and
commit it on branch main: posture.yaml, the first IT admin in people/, empty devices/ and reports/,
posture's policies with their tests and policy data (policies/config/data.yaml, with the corporate
Wi-Fi networks), policies/local/ for the organisation's own rules, the schemas, .github (workflows,
issue forms, pull-request templates, CODEOWNERS) and a README.md for employees. There is no code in
it: the workflows call posture's action, posture-dev/posture, pinned to this posture's release tag
or commit (or --action-ref). posture.lock records every file posture manages, for posture upgrade.

Nothing is half-written: the repository is made in a temporary folder beside DIR and renamed into
place at the end. When stdin is a terminal, posture init asks for what the flags do not give;
otherwise --org and --admin are required.

Push it to a new private repository (never a public fork: it holds names and MAC addresses),
then posture doctor says what is left to set up on GitHub (docs/admin.md).`,
		Example: `  posture init acme --org Acme --admin it-lead
  posture init acme --org "Acme, Inc." --admin it-lead --timezone Europe/Berlin --ssid ACME-CORP --due-day 5 --repo acme/device-reports`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = args[0]
			opts.Given = map[string]bool{}
			for _, name := range initQuestions {
				opts.Given[name] = cmd.Flags().Changed(name)
			}
			if runF != nil {
				return runF(opts)
			}
			return classify(runInit(cmd.Context(), opts))
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Org, "org", "", "the organisation's `name`, as employees know it")
	fl.StringVar(&opts.Admin, "admin", "", "the GitHub `login` of the first IT admin, who owns the repository's trusted files")
	fl.StringVar(&opts.AdminName, "admin-name", "", "the IT admin's `name` (default: the login)")
	fl.StringVar(&opts.AdminEmail, "admin-email", "", "the IT admin's `email` (default: the login's GitHub noreply address)")
	fl.StringVar(&opts.Timezone, "timezone", "Asia/Tokyo", "the organisation's IANA `timezone`: report dates, the due day and the workflows' schedules")
	fl.StringArrayVar(&opts.SSIDs, "ssid", []string{"CORP-WIFI"}, "a corporate Wi-Fi network's `name`; repeat it for more")
	fl.IntVar(&opts.DueDay, "due-day", 10, "the `day` of the month reports are due, 1-28")
	fl.StringVar(&opts.Repo, "repo", "", "the repository on GitHub, `OWNER/NAME`, for the links of the forms (default: the organisation's name and DIR's)")
	fl.StringVar(&opts.ActionRef, "action-ref", "", "the `ref` (tag or commit) of posture-dev/posture the workflows pin (default: this posture's)")
	fl.BoolVar(&opts.Demo, "demo", false, "write the demo organisation, with a year of history")
	return cmd
}

func runInit(ctx context.Context, opts *InitOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return usagef("%s: %v", opts.Dir, err)
	}
	if err := emptyOrNew(dir); err != nil {
		return err
	}
	if opts.Demo && populateDemo == nil {
		return usagef("--demo: this posture has no demo organisation built in")
	}
	if opts.Demo {
		opts.fill("org", &opts.Org, demoOrg)
		if !opts.Given["admin"] && opts.Admin == "" {
			opts.fill("admin-name", &opts.AdminName, demoAdminName)
		}
		opts.fill("admin", &opts.Admin, demoAdmin)
	}
	if err := opts.ask(filepath.Base(dir)); err != nil {
		return err
	}
	p, err := opts.params(filepath.Base(dir))
	if err != nil {
		return err
	}
	rel, warning, err := releaseOf(opts.Build, opts.ActionRef)
	if err != nil && opts.Demo && opts.ActionRef == "" {
		// A demo is for looking at, not for running on GitHub: a build
		// without version information (go run) still makes one.
		rel, _, err = releaseOf(opts.Build, "main")
		warning = "this posture knows no version (go run stamps none), so the demo's workflows call " + scaffold.Action + "@main; a real organisation's repository pins a release"
	}
	if err != nil {
		return err
	}
	if warning != "" {
		fmt.Fprintf(opts.IO.ErrOut, "posture: warning: %s\n", warning)
	}
	p.Release, p.Now = rel, opts.Now()

	// Everything is made in a sibling folder and renamed into place.
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".posture-init-")
	if err != nil {
		return usagef("make %s: %v", opts.Dir, err)
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()
	files, err := scaffold.Create(tmp, p)
	if err != nil {
		return err
	}
	if opts.Demo {
		if err := populateDemo(ctx, tmp, p.Now); err != nil {
			return fmt.Errorf("write the demo organisation: %w", err)
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("make %s: %w", opts.Dir, err)
	}
	if err := moveInto(tmp, dir); err != nil {
		return err
	}
	done = true
	printInit(opts.IO.Out, opts.Dir, p, len(files))
	return nil
}

// emptyOrNew refuses a dir that holds anything, or is not a folder.
func emptyOrNew(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if info, err := os.Lstat(dir); err == nil && !info.IsDir() {
			return usagef("%s is not a folder: posture init writes a new repository into a new or empty folder", dir)
		}
		return nil
	case err != nil:
		if info, serr := os.Lstat(dir); serr == nil && !info.IsDir() {
			return usagef("%s is not a folder: posture init writes a new repository into a new or empty folder", dir)
		}
		return usagef("read %s: %v", dir, err)
	case len(entries) > 0:
		return usagef("%s is not empty: posture init writes a new repository into a new or empty folder, and changes none (posture upgrade brings a repository it made to a newer posture)", dir)
	}
	return nil
}

// moveInto renames the finished repository to dir, which is missing or an
// empty folder.
func moveInto(tmp, dir string) error {
	if err := os.Remove(dir); err != nil && !errors.Is(err, os.ErrNotExist) {
		return usagef("%s is no longer empty: %v", dir, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("move the new repository to %s: %w", dir, err)
	}
	return nil
}

func printInit(w io.Writer, dir string, p scaffold.Params, n int) {
	fmt.Fprintf(w, "wrote the posture repository of %s in %s: %d files, committed on main\n", p.Org, dir, n)
	fmt.Fprintf(w, "its workflows call %s@%s (posture %s)\n\n", scaffold.Action, p.Release.Ref, p.Release.Version)
	fmt.Fprintf(w, "next:\n")
	fmt.Fprintf(w, "  cd %s && posture check && posture test\n", shellWord(dir))
	fmt.Fprintf(w, "  create %s as a private repository on GitHub (never a public fork), and push: git remote add origin https://github.com/%s.git && git push -u origin main\n", p.Repo, p.Repo)
	fmt.Fprintf(w, "  set up the posture app, its environment and the ruleset (docs/admin.md), then set bot_login in posture.yaml\n")
	fmt.Fprintf(w, "  posture doctor -R %s says what is left to do on GitHub\n", p.Repo)
}

// shellWord quotes s for a POSIX shell when it needs it.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/posture-dev/posture/internal/scaffold"
	"github.com/posture-dev/posture/internal/settings"
	"github.com/spf13/cobra"
)

// UpgradeOptions are the inputs of posture upgrade.
type UpgradeOptions struct {
	IO IOStreams
	// Build is the running posture, which the upgrade brings the files to.
	Build Build

	Dir       string
	DryRun    bool
	Force     bool
	ActionRef string
}

// NewCmdUpgrade builds posture upgrade.
func NewCmdUpgrade(f *Factory, runF func(*UpgradeOptions) error) *cobra.Command {
	opts := &UpgradeOptions{IO: f.IO, Build: currentBuild()}
	cmd := &cobra.Command{
		Use:   "upgrade [DIR]",
		Short: "Bring an organisation's posture repository to this posture",
		Long: `Bring the files posture manages in an organisation's repository (made by posture init) to
this posture: posture's rules and their tests, the schemas, the workflows (calling posture's
action at this posture's tag or commit, or --action-ref, on the schedule of posture.yaml's
timezone), the issue forms and the pull-request templates. New keys of the policy data arrive
in policies/config/data.yaml with their defaults; no value there changes. .github/CODEOWNERS is
made again from people/. It prints one line per file and the diff of each change, for the pull
request an IT admin reviews.

posture.lock says what posture wrote: a file whose sha256 is no longer the lock's was edited by
the organisation, and posture upgrade refuses it, naming it, and writes nothing, unless --force
replaces it. people/, devices/, reports/, policies/exceptions/ and policies/local/ are never
touched. A second run finds nothing to do.`,
		Example: `  posture upgrade --dry-run
  posture upgrade
  posture upgrade --force ../acme`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = "."
			if len(args) == 1 {
				opts.Dir = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return classify(runUpgrade(opts))
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&opts.DryRun, "dry-run", false, "print the changes and write nothing")
	fl.BoolVar(&opts.Force, "force", false, "replace files the organisation edited, too")
	fl.StringVar(&opts.ActionRef, "action-ref", "", "the `ref` (tag or commit) of posture-dev/posture the workflows pin (default: this posture's)")
	return cmd
}

func runUpgrade(opts *UpgradeOptions) error {
	if info, err := os.Stat(opts.Dir); err != nil || !info.IsDir() {
		return usagef("%s is not a folder; name the repository's root", opts.Dir)
	}
	fsys := os.DirFS(opts.Dir)
	// Nothing is read through a link: what upgrade reads it renders into
	// the files it writes.
	if err := scaffold.CheckSources(fsys); err != nil {
		return inputOrNot(err)
	}
	lock, err := scaffold.ReadLock(fsys)
	if errors.Is(err, scaffold.ErrNoLock) {
		return usagef("%s has no %s: posture upgrade keeps a repository made by posture init; name its root", opts.Dir, scaffold.LockFile)
	}
	if err != nil {
		return usageError{err}
	}
	p, err := upgradeParams(opts.Dir, lock)
	if err != nil {
		return err
	}
	rel, warning, err := releaseOf(opts.Build, opts.ActionRef)
	if err != nil {
		return err
	}
	if warning != "" {
		fmt.Fprintf(opts.IO.ErrOut, "posture: warning: %s\n", warning)
	}
	p.Release = rel
	plan, err := scaffold.PlanUpgrade(opts.Dir, p, lock, opts.Force)
	if err != nil {
		return inputOrNot(err)
	}
	plan.Write(opts.IO.Out)
	if refused := plan.Refused(); len(refused) > 0 && !opts.Force {
		var names []string
		for _, c := range refused {
			names = append(names, c.Path)
		}
		fmt.Fprintf(opts.IO.ErrOut, "posture: upgrade refused, nothing written: %s changed since posture wrote %s (the lines above say how). Keep your own rules in policies/local/ and your values in %s, or run posture upgrade --force to replace %s\n",
			strings.Join(names, ", "), itThem(len(names)), scaffold.DataFile, itThem(len(names)))
		return errFindings
	}
	if plan.Empty() {
		return nil
	}
	if opts.DryRun {
		fmt.Fprintf(opts.IO.Out, "\ndry run: nothing written\n")
		return nil
	}
	if err := plan.Apply(opts.Dir); err != nil {
		return inputOrNot(err)
	}
	fmt.Fprintf(opts.IO.Out, "\nwrote %s and %s: review the diff and commit them in a pull request\n", countNoun(len(plan.Changes), "file"), scaffold.LockFile)
	return nil
}

// upgradeParams reads what the repository's files are rendered from out of
// the repository itself: posture.yaml (the organisation, its timezone, the
// due day), the policy data (the corporate networks), the remote origin or
// else the lock (the repository on GitHub) and the lock (the example
// device).
func upgradeParams(dir string, lock *scaffold.Lock) (scaffold.Params, error) {
	fsys := os.DirFS(dir)
	s, problems, err := settings.Load(fsys)
	if err != nil {
		return scaffold.Params{}, usageError{err}
	}
	for _, f := range problems {
		switch f.Rule {
		case "settings.timezone":
			return scaffold.Params{}, usagef("%s: %s; the workflows take their schedules' timezone from it", settings.File, f.Message)
		case "settings.report_due_day":
			return scaffold.Params{}, usagef("%s:%d: %s; the forms and workflows name the due day, so posture upgrade does not write them with another", settings.File, f.Line, f.Message)
		}
	}
	if s.Record == nil {
		return scaffold.Params{}, usagef("%s has no %s: the workflows take their schedules' timezone from it", dir, settings.File)
	}
	p := scaffold.Params{Org: s.Organization, Timezone: s.Timezone, DueDay: s.ReportDueDay,
		Repo: lock.Repository, ExampleDevice: lock.ExampleDevice}
	if data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(scaffold.DataFile))); err == nil {
		if p.SSIDs, err = scaffold.SSIDs(data); err != nil {
			return scaffold.Params{}, usagef("%s: %v", scaffold.DataFile, err)
		}
	}
	if len(p.SSIDs) == 0 {
		return scaffold.Params{}, usagef("%s lists no corporate_ssids: the forms suggest the first; add your Wi-Fi network's name", scaffold.DataFile)
	}
	if repo, err := originRepo(dir); err == nil && scaffold.ValidRepo(repo) {
		p.Repo = repo // the clone knows better than the lock
	}
	return p, nil
}

// inputOrNot marks a folder of the repository that is a symbolic link or
// not a folder, a posture older than the repository's and a person record
// that cannot be read, as the user's to fix, not a failure of posture.
func inputOrNot(err error) error {
	var fe *scaffold.FolderError
	var de *scaffold.DowngradeError
	var pe *scaffold.PersonError
	if errors.As(err, &fe) || errors.As(err, &de) || errors.As(err, &pe) {
		return usageError{err}
	}
	return err
}

func itThem(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

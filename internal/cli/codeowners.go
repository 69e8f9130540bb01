package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/posture-dev/posture/internal/atomicfile"
	"github.com/posture-dev/posture/internal/check"
	"github.com/posture-dev/posture/internal/codeowners"
	"github.com/posture-dev/posture/internal/record"
	"github.com/posture-dev/posture/internal/scaffold"
	"github.com/posture-dev/posture/internal/settings"
	"github.com/spf13/cobra"
)

// CodeownersOptions are the inputs of posture codeowners.
type CodeownersOptions struct {
	IO    IOStreams
	Dir   string
	Check bool
}

// NewCmdCodeowners builds posture codeowners.
func NewCmdCodeowners(f *Factory, runF func(*CodeownersOptions) error) *cobra.Command {
	opts := &CodeownersOptions{IO: f.IO}
	cmd := &cobra.Command{
		Use:   "codeowners",
		Short: "Write .github/CODEOWNERS from people/",
		Long: `Write .github/CODEOWNERS from people/ and posture.yaml: every trusted path (policies/,
policies/exceptions/, schemas/, people/, .github/, cmd/, internal/, posture.yaml, action.yml,
go.mod, go.sum and the protected_paths of posture.yaml), and by default every other file, is
owned by the active IT admins' GitHub logins; reports/ and devices/ have no code owner, the
posture/approvals status gates them. With the branch ruleset's "require review from code
owners", nothing else merges without an IT admin's approval.

With --check, write nothing and exit 1 when the file is missing or stale. posture check
reports a stale file too.`,
		Example: `  posture codeowners
  posture codeowners --check`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return classify(runCodeowners(opts))
		},
	}
	cmd.Flags().StringVarP(&opts.Dir, "dir", "C", ".", "the repository's root `folder`")
	cmd.Flags().BoolVar(&opts.Check, "check", false, "write nothing; exit 1 when the file is missing or stale")
	return cmd
}

func runCodeowners(opts *CodeownersOptions) error {
	fsys := os.DirFS(opts.Dir)
	if _, err := fs.Stat(fsys, record.PeopleDir); err != nil {
		return &check.InputError{Msg: fmt.Sprintf("%s has no people/ folder: run posture codeowners at the repository's root or name it with --dir", opts.Dir)}
	}
	// Nothing is read through a link: CODEOWNERS is made of what is read.
	if err := scaffold.CheckSources(fsys); err != nil {
		return inputOrNot(err)
	}
	s, _, err := settings.Load(fsys)
	if err != nil {
		return err
	}
	people, err := scaffold.ReadPeople(fsys)
	if err != nil {
		return inputOrNot(err)
	}
	want, err := codeowners.Generate(people, s.ProtectedPaths)
	if errors.Is(err, codeowners.ErrNoOwners) {
		return usagef("%v", err)
	}
	if err != nil {
		return err
	}
	target := filepath.Join(opts.Dir, filepath.FromSlash(codeowners.File))
	have, err := os.ReadFile(target)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read %s: %w", codeowners.File, err)
	}
	owners := "@" + strings.Join(codeowners.Owners(people), ", @")
	switch {
	case bytes.Equal(have, want):
		fmt.Fprintf(opts.IO.Out, "%s is up to date: the trusted paths are owned by %s\n", codeowners.File, owners)
		return nil
	case opts.Check:
		fmt.Fprintf(opts.IO.ErrOut, "posture: %s is missing or stale: run posture codeowners and commit the result\n", codeowners.File)
		return errFindings
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return fmt.Errorf("write %s: %w", codeowners.File, err)
	}
	if err := atomicfile.WriteFile(target, want, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", codeowners.File, err)
	}
	fmt.Fprintf(opts.IO.Out, "wrote %s: the trusted paths are owned by %s\n", codeowners.File, owners)
	return nil
}

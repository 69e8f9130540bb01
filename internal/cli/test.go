package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"

	"github.com/posture-dev/posture"
	"github.com/posture-dev/posture/internal/policy"
	"github.com/posture-dev/posture/internal/record"
	"github.com/spf13/cobra"
)

// TestOptions are the inputs of posture test.
type TestOptions struct {
	IO      IOStreams
	Dir     string
	Verbose bool
}

// NewCmdTest builds posture test, which runs the Rego tests of the policies.
func NewCmdTest(f *Factory, runF func(*TestOptions) error) *cobra.Command {
	opts := &TestOptions{IO: f.IO}
	cmd := &cobra.Command{
		Use:   "test [DIR]",
		Short: "Run the Rego tests of the policies, posture's and the organisation's own",
		Long: `Run the Rego tests (the _test.rego files) under DIR/policies, posture's and those of the
organisation's own rules in policies/local/, with OPA's tester. The data is laid out as
posture check lays it out: each data.yaml at the path of its folder, so policies/config/data.yaml
is data.config. The tests bring their own registry and records; posture's bring their own
data.config too, so that changing a threshold, an SSID or the OS table keeps them green.

A repository without policies of its own is checked with the built-in policies, and so those
are tested. Policies that posture check would refuse (a syntax error, a rule without its
METADATA) fail the run like a failing test.`,
		Example: `  posture test
  posture test -v ../acme-device-reports`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = "."
			if len(args) == 1 {
				opts.Dir = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return classify(runTest(cmd.Context(), opts))
		},
	}
	cmd.Flags().BoolVarP(&opts.Verbose, "verbose", "v", false, "list every test, not only the failures")
	return cmd
}

func runTest(ctx context.Context, opts *TestOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if info, err := os.Stat(opts.Dir); err != nil || !info.IsDir() {
		return usagef("%s is not a folder; name the repository's root", opts.Dir)
	}
	fsys := fs.FS(os.DirFS(opts.Dir))
	own, err := ownPolicies(fsys)
	if err != nil {
		return err
	}
	if !own {
		if local, _ := fs.Glob(fsys, path.Join(record.PolicyDir, policy.LocalDir, "*.rego")); len(local) > 0 {
			fmt.Fprintf(opts.IO.Out, "%s: posture check ignores the local rules: without %s it uses the built-in policies. Add the policies posture ships and your policy data.\n",
				path.Join(record.PolicyDir, policy.LocalDir), path.Join(record.PolicyDir, policy.ConfigFile))
			return errFindings
		}
		fmt.Fprintf(opts.IO.ErrOut, "%s has no policies of its own: testing the built-in policies\n", opts.Dir)
		fsys = posture.Defaults
	}
	run, err := policy.RunTests(ctx, fsys, record.PolicyDir)
	if err != nil {
		return err
	}
	printTestRun(opts, run)
	if !run.OK() {
		return errFindings
	}
	return nil
}

// ownPolicies says whether the repository has policies of its own, as
// posture check decides it: the policy data, or a .rego file in policies/.
func ownPolicies(fsys fs.FS) (bool, error) {
	if _, err := fs.Stat(fsys, path.Join(record.PolicyDir, policy.ConfigFile)); err == nil {
		return true, nil
	}
	entries, err := fs.ReadDir(fsys, record.PolicyDir)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, usagef("read %s: %v", record.PolicyDir, err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".rego") {
			return true, nil
		}
	}
	return false, nil
}

func printTestRun(opts *TestOptions, run *policy.TestRun) {
	w := opts.IO.Out
	if len(run.Problems) > 0 {
		for _, p := range run.Problems {
			fmt.Fprintln(w, p)
		}
		fmt.Fprintf(w, "the policies do not load, so no test ran: fix the %s above\n", countNoun(len(run.Problems), "problem"))
		return
	}
	failed, skipped := 0, 0
	for _, r := range run.Results {
		switch {
		case r.Error != "":
			fmt.Fprintf(w, "%s:%d: %s could not run: %s\n", r.File, r.Line, r.Name, r.Error)
		case r.Failed:
			fmt.Fprintf(w, "%s:%d: %s failed\n", r.File, r.Line, r.Name)
		case r.Skipped:
			skipped++
			if opts.Verbose {
				fmt.Fprintf(w, "%s:%d: %s skipped\n", r.File, r.Line, r.Name)
			}
			continue
		default:
			if opts.Verbose {
				fmt.Fprintf(w, "%s:%d: %s passed\n", r.File, r.Line, r.Name)
			}
			continue
		}
		failed++
		for line := range strings.Lines(r.Output) {
			fmt.Fprintf(w, "    %s\n", strings.TrimSuffix(line, "\n"))
		}
	}
	switch {
	case len(run.Results) == 0:
		fmt.Fprintf(w, "no tests found under %s: add _test.rego files\n", record.PolicyDir)
	case failed > 0:
		fmt.Fprintf(w, "%d of %s failed\n", failed, countNoun(len(run.Results), "test"))
	default:
		fmt.Fprintf(w, "%s passed", countNoun(len(run.Results)-skipped, "test"))
		if skipped > 0 {
			fmt.Fprintf(w, ", %d skipped", skipped)
		}
		fmt.Fprintln(w)
	}
}

// countNoun is "1 test" or "n tests".
func countNoun(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

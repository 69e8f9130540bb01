package cli

import (
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/posture-dev/posture"
	"github.com/posture-dev/posture/internal/policy"
	"github.com/spf13/cobra"
)

// RulesOptions are the inputs of posture rules.
type RulesOptions struct {
	IO  IOStreams
	Dir string
}

// NewCmdRules builds posture rules, which lists the policy rules.
func NewCmdRules(f *Factory, runF func(*RulesOptions) error) *cobra.Command {
	opts := &RulesOptions{IO: f.IO}
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the policy rules with their ids, severities and titles",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return classify(runRules(opts))
		},
	}
	cmd.Flags().StringVarP(&opts.Dir, "dir", "C", ".", "the repository's root `folder`")
	return cmd
}

func runRules(opts *RulesOptions) error {
	fsys := os.DirFS(opts.Dir)
	if _, err := os.Stat(opts.Dir + "/policies/" + policy.ConfigFile); err != nil {
		fsys = nil
	}
	var e *policy.Engine
	var err error
	if fsys != nil {
		e, err = policy.Load(fsys, "policies")
	} else {
		e, err = policy.Load(posture.Defaults, "policies")
	}
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(opts.IO.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "RULE\tSEVERITY\tTITLE")
	for _, r := range e.Rules() {
		fmt.Fprintf(w, "%s\t%s\t%s\n", r.ID, r.Severity, r.Title)
	}
	return w.Flush()
}

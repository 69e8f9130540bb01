package cli

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"text/tabwriter"

	"github.com/posture-dev/posture"
	"github.com/posture-dev/posture/internal/policy"
	"github.com/posture-dev/posture/internal/rules"
	"github.com/spf13/cobra"
)

// RulesOptions are the inputs of posture rules.
type RulesOptions struct {
	IO     IOStreams
	Dir    string
	Format string
}

// The formats of posture rules.
var rulesFormats = []string{"text", "json"}

// NewCmdRules builds posture rules, which lists every rule posture reports.
func NewCmdRules(f *Factory, runF func(*RulesOptions) error) *cobra.Command {
	opts := &RulesOptions{IO: f.IO}
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List every rule posture reports, with its id, severity, title and remediation",
		Long: `List every rule whose id a finding of posture check or posture audit can carry: the Rego
rules of the repository's policies/ (or the built-in ones when it has none), with their
METADATA, and the rules of posture's own code (the parser, the schemas, a pull request's
trust boundary, the settings, CODEOWNERS, the workflows and the audit).

The rules of check deny or warn; the audit's findings are errors or warnings. Where a rule
reports a milder severity in milder cases, the one listed is the most severe.`,
		Example: `  posture rules
  posture rules -f json | jq -r '.rules[] | select(.origin == "policy") | .id'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return classify(runRules(opts))
		},
	}
	cmd.Flags().StringVarP(&opts.Dir, "dir", "C", ".", "the repository's root `folder`")
	addFormatFlag(cmd, &opts.Format, rulesFormats...)
	return cmd
}

// ruleEntry is one rule as posture rules lists it; its JSON form is the
// output of --format json.
type ruleEntry struct {
	ID          string `json:"id"`
	Severity    string `json:"severity"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Remediation string `json:"remediation,omitempty"`
	// Command is the command whose findings carry the rule: check or audit.
	Command string `json:"command"`
	// Origin is policy for a Rego rule, posture for a rule of posture's code.
	Origin string `json:"origin"`
	// Location is the Rego rule's file:line.
	Location string `json:"location,omitempty"`
}

// The origins of a rule.
const (
	originPolicy  = "policy"
	originPosture = "posture"
)

func runRules(opts *RulesOptions) error {
	if !slices.Contains(rulesFormats, opts.Format) {
		return usagef("unknown output format %q: use %s", opts.Format, orList(rulesFormats))
	}
	e, err := loadRulesPolicies(opts.Dir)
	if err != nil {
		return err
	}
	entries := listRules(e.Rules(), rules.Builtin())
	var buf bytes.Buffer
	if opts.Format == "json" {
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(struct {
			Rules []ruleEntry `json:"rules"`
		}{entries}); err != nil {
			return err
		}
	} else {
		w := tabwriter.NewWriter(&buf, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "RULE\tSEVERITY\tTITLE\tREMEDIATION")
		for _, r := range entries {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Title, r.Remediation)
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	_, err = opts.IO.Out.Write(buf.Bytes())
	return err
}

// loadRulesPolicies loads the policies of the repository at dir, or the
// built-in ones when it has none.
func loadRulesPolicies(dir string) (*policy.Engine, error) {
	if _, err := os.Stat(filepath.Join(dir, "policies", policy.ConfigFile)); err == nil {
		return policy.Load(os.DirFS(dir), "policies")
	}
	return policy.Load(posture.Defaults, "policies")
}

// listRules merges the Rego rules and those of posture's code, by id.
func listRules(rego []policy.RuleInfo, builtin []rules.Info) []ruleEntry {
	out := make([]ruleEntry, 0, len(rego)+len(builtin))
	for _, r := range rego {
		out = append(out, ruleEntry{ID: r.ID, Severity: r.Severity, Title: r.Title, Description: r.Description,
			Remediation: r.Remediation, Command: rules.Check, Origin: originPolicy, Location: r.Location})
	}
	for _, r := range builtin {
		out = append(out, ruleEntry{ID: r.ID, Severity: r.Severity, Title: r.Title, Description: r.Description,
			Remediation: r.Remediation, Command: r.Command, Origin: originPosture})
	}
	slices.SortStableFunc(out, func(a, b ruleEntry) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

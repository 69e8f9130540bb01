package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/posture-dev/posture/internal/record"
	"github.com/posture-dev/posture/internal/report"
	"github.com/posture-dev/posture/internal/settings"
	"github.com/spf13/cobra"
)

// The flags several commands share are bound here, so that each has one
// name, one shorthand, one placeholder and one completion everywhere.

// addRepoFlags binds the flags every command that talks to GitHub shares:
// -R/--repo and --api-url.
func addRepoFlags(cmd *cobra.Command, o *GitHubOptions) {
	addRepoFlag(cmd, o, "the GitHub repository as `OWNER/NAME` (default $GITHUB_REPOSITORY)")
	cmd.Flags().StringVar(&o.APIURL, "api-url", "", "the GitHub REST API `url` (default $GITHUB_API_URL or api.github.com)")
}

// addRepoFlag binds -R/--repo alone, with the command's own usage text.
func addRepoFlag(cmd *cobra.Command, o *GitHubOptions, usage string) {
	cmd.Flags().StringVarP(&o.Repo, "repo", "R", "", usage)
}

// addFormatFlag binds -f/--format to p with the formats the command writes;
// the first is the default. The shell completes the formats.
func addFormatFlag(cmd *cobra.Command, p *string, formats ...string) {
	cmd.Flags().StringVarP(p, "format", "f", formats[0], "output `format`: "+orList(formats))
	completeValues(cmd, "format", formats...)
}

// addPeriodFlag binds a flag whose value is a month, written YYYY-MM. The
// shell completes the current and the last month as of now.
func addPeriodFlag(cmd *cobra.Command, now func() time.Time, p *string, name, usage string) {
	cmd.Flags().StringVar(p, name, "", usage)
	_ = cmd.RegisterFlagCompletionFunc(name, completePeriod(now))
}

// addDeviceFlag binds --device, a device id; the shell completes the ids
// of devices/ in --dir.
func addDeviceFlag(cmd *cobra.Command, p *string) {
	cmd.Flags().StringVar(p, "device", "", "the device `id` (a file devices/<id>.yaml)")
	_ = cmd.RegisterFlagCompletionFunc("device", completeDevice)
}

// completeValues lets the shell complete a flag's fixed values, in order.
func completeValues(cmd *cobra.Command, flag string, values ...string) {
	_ = cmd.RegisterFlagCompletionFunc(flag, func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []cobra.Completion
		for _, v := range values {
			if strings.HasPrefix(v, toComplete) {
				out = append(out, v)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder
	})
}

// orList writes "a", "a or b", "a, b or c".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// completePeriod offers the current month and the month before it, in the
// timezone of posture.yaml in --dir (or the default timezone).
func completePeriod(now func() time.Time) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		s, _, err := settings.Load(os.DirFS(dirFlag(cmd)))
		if err != nil || s.Location == nil {
			s = settings.Default()
		}
		if now == nil {
			now = time.Now
		}
		t := now().In(s.Location)
		this := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, s.Location)
		var out []cobra.Completion
		for _, m := range []time.Time{this, this.AddDate(0, -1, 0)} {
			if p := m.Format("2006-01"); strings.HasPrefix(p, toComplete) {
				out = append(out, p)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder
	}
}

// completeDevice offers the ids of the devices registered in --dir.
func completeDevice(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	entries, err := os.ReadDir(filepath.Join(dirFlag(cmd), record.DevicesDir))
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, e := range entries {
		id, ok := strings.CutSuffix(e.Name(), ".yaml")
		if ok && e.Type().IsRegular() && record.ValidID(id) && strings.HasPrefix(id, toComplete) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out, cobra.ShellCompDirectiveNoFileComp
}

// dirFlag is the value of the command's --dir, or "." without one.
func dirFlag(cmd *cobra.Command) string {
	if f := cmd.Flags().Lookup("dir"); f != nil && f.Value.String() != "" {
		return f.Value.String()
	}
	return "."
}

// reportFormats are the formats of posture check, the first the default.
func reportFormats() []string {
	var out []string
	for _, f := range report.Formats() {
		out = append(out, string(f))
	}
	return out
}

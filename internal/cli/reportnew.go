package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/posture-dev/posture/internal/atomicfile"
	"github.com/posture-dev/posture/internal/monthly"
	"github.com/posture-dev/posture/internal/record"
	"github.com/posture-dev/posture/internal/settings"
	"github.com/spf13/cobra"
)

// ReportNewOptions are the inputs of posture report new.
type ReportNewOptions struct {
	IO  IOStreams
	Now func() time.Time

	Dir    string
	Device string
	Period string
	Force  bool
}

// NewCmdReport builds posture report, the parent of report new; runF, if
// set, runs instead of report new.
func NewCmdReport(f *Factory, runF func(*ReportNewOptions) error) *cobra.Command {
	cmd := &cobra.Command{Use: "report", Short: "Work with monthly reports in a clone", Args: cobra.NoArgs}
	cmd.AddCommand(NewCmdReportNew(f, runF))
	return cmd
}

// NewCmdReportNew builds posture report new.
func NewCmdReportNew(f *Factory, runF func(*ReportNewOptions) error) *cobra.Command {
	opts := &ReportNewOptions{IO: f.IO, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "new --device ID [--period YYYY-MM]",
		Short: "Start a device's monthly report, prefilled from the registry",
		Long: `Write reports/YYYY-MM/<device>.yaml in the clone, prefilled from devices/<device>.yaml: the
period, the device, you as its reporter, and the OS version and Wi-Fi address it was registered
with. Every field left to fill in is marked "# TODO"; posture check points at each one until it
is done. posture collect --into FILE fills in what the computer can tell about itself.`,
		Example: `  posture report new --device d-e1004-laptop
  posture collect --into reports/2026-12/d-e1004-laptop.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return classify(runReportNew(opts))
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Dir, "dir", "C", ".", "the clone's root `folder`")
	addDeviceFlag(cmd, &opts.Device)
	addPeriodFlag(cmd, f.Now, &opts.Period, "period", "the month, `YYYY-MM` (default the current month in the organisation's timezone)")
	fl.BoolVar(&opts.Force, "force", false, "overwrite a report that exists")
	return cmd
}

func runReportNew(opts *ReportNewOptions) error {
	if !record.ValidID(opts.Device) {
		return usagef("name the device with --device, e.g. --device d-e1004-laptop (got %q)", opts.Device)
	}
	fsys := os.DirFS(opts.Dir)
	s, _, err := settings.Load(fsys)
	if err != nil {
		return usageError{err}
	}
	period, err := cyclePeriod(opts.Period, s.Date(opts.Now()))
	if err != nil {
		return err
	}
	devPath := record.DevicesDir + "/" + opts.Device + ".yaml"
	data, err := fs.ReadFile(fsys, devPath)
	if errors.Is(err, fs.ErrNotExist) {
		return usagef("no device %s in %s; register it first (the register form, or a pull request adding the file)", opts.Device, filepath.Join(opts.Dir, record.DevicesDir))
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", devPath, err)
	}
	dev, fs_ := record.Parse(devPath, record.Device, data)
	if dev == nil {
		return usagef("%s cannot be read: %v; fix it first", devPath, fs_)
	}
	if ret, _ := dev.Data["retirement"].(map[string]any); dev.String("status") == "retired" && fmt.Sprint(ret["date"]) <= period+"-01" {
		return usagef("device %s was retired on %v, before %s; it is not reported any more", opts.Device, ret["date"], period)
	}
	out := monthly.ReportPath(period, opts.Device)
	full := filepath.Join(opts.Dir, filepath.FromSlash(out))
	if _, err := os.Stat(full); err == nil && !opts.Force {
		return usagef("%s exists; edit it, or pass --force to start it again", out)
	}
	due, _ := s.DueDate(period)
	text := reportSkeleton(dev, period, due.Format(time.DateOnly), monthly.DefaultGuide())
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	if err := atomicfile.WriteFile(full, []byte(text), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	fmt.Fprintf(opts.IO.Out, "wrote %s: fill in each TODO, then run posture check %s\n", out, out)
	return nil
}

// skeletonHints says what each report field wants.
var skeletonHints = map[string]string{
	"os_name":              "the distribution, e.g. ubuntu",
	"os_version":           "as the device shows it now",
	"os_build":             "e.g. 26200.7171 (winver) or 25B78 (About This Mac)",
	"security_patch":       "YYYY-MM-DD, Settings > About phone",
	"antivirus":            "the product, e.g. Microsoft Defender",
	"real_time_protection": "true or false",
	"signatures_updated":   "YYYY-MM-DD",
	"last_quick_scan":      "YYYY-MM-DD",
	"last_full_scan":       "YYYY-MM-DD",
	"threats_found":        "how many this month, 0 if none",
	"threats_resolved":     "how many of them were removed",
	"disk_encryption":      "true or false",
	"screen_lock_minutes":  "minutes before the screen locks",
	"jailbroken":           "true if jailbroken or rooted, else false",
	"wifi_mac":             "the address in use on the corporate Wi-Fi",
}

// reportSkeleton writes the report of dev for period: what the registry
// knows filled in, every other field blank with a TODO comment.
func reportSkeleton(dev *record.Record, period, due string, g monthly.Guide) string {
	id, platform := record.IDOf(dev.Path), dev.String("platform")
	var b strings.Builder
	b.WriteString("# yaml-language-server: $schema=../../schemas/report.schema.json\n")
	fmt.Fprintf(&b, "# %s (%s, %s) for %s, due %s. Fill in each TODO; posture check points at what is missing.\n", id, dev.String("model"), platform, period, due)
	fmt.Fprintf(&b, "period: %q\ndevice: %s\nreporter: %s\n", period, id, dev.String("owner"))
	known := map[string]string{"os_name": dev.String("os_name"), "os_version": dev.String("os_version")}
	var macs []string
	if list, ok := dev.Data["wifi_macs"].([]any); ok {
		for _, m := range list {
			if m, ok := m.(map[string]any); ok {
				macs = append(macs, fmt.Sprint(m["mac"]))
			}
		}
	}
	if len(macs) == 1 {
		known["wifi_mac"] = macs[0]
	}
	for _, f := range g.Fields(platform) {
		if f == "antivirus: not_applicable" {
			b.WriteString("antivirus: not_applicable\n")
			continue
		}
		hint := skeletonHints[f]
		switch v := known[f]; {
		case v != "" && f == "os_version":
			fmt.Fprintf(&b, "%s: %s # TODO: check it: %s (registered as %s)\n", f, strconv.Quote(v), hint, v)
		case v != "":
			fmt.Fprintf(&b, "%s: %s # TODO: check it: %s\n", f, strconv.Quote(v), hint)
		case f == "wifi_mac" && len(macs) > 1:
			fmt.Fprintf(&b, "%s: # TODO: %s (registered: %s)\n", f, hint, strings.Join(macs, ", "))
		default:
			fmt.Fprintf(&b, "%s: # TODO: %s\n", f, hint)
		}
	}
	b.WriteString("concerns: \"\" # anything you are worried about, in your own words\n")
	return b.String()
}

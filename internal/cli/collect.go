package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"

	"github.com/posture-dev/posture/internal/atomicfile"
	"github.com/posture-dev/posture/internal/collect"
	"github.com/posture-dev/posture/internal/record"
	"github.com/spf13/cobra"
)

// CollectOptions are the inputs of posture collect.
type CollectOptions struct {
	IO   IOStreams
	GOOS string
	Run  collect.Runner
	Read collect.Reader

	Into string
}

// NewCmdCollect builds posture collect.
func NewCmdCollect(f *Factory, runF func(*CollectOptions) error) *cobra.Command {
	opts := &CollectOptions{IO: f.IO, GOOS: runtime.GOOS, Run: runCommand, Read: os.ReadFile}
	cmd := &cobra.Command{
		Use:   "collect [--into FILE]",
		Short: "Print what this computer can tell about itself for a report",
		Long: `Read this computer's OS name, version and build and the MAC addresses of its Wi-Fi and
Ethernet interfaces (locally administered, that is private or randomised, ones are marked),
on Linux, macOS and Windows, with the system's own commands (ip, sw_vers, networksetup,
ifconfig, ver, Get-NetAdapter or getmac). Print them as YAML to paste into a report, or fill
them into one with --into. Nothing is sent anywhere. Phones and tablets show these in Settings.`,
		Example: `  posture collect
  posture collect --into reports/2026-12/d-e1004-laptop.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return classify(runCollect(cmd.Context(), opts))
		},
	}
	cmd.Flags().StringVar(&opts.Into, "into", "", "fill the fields into this report `file` instead of printing them")
	return cmd
}

func runCollect(ctx context.Context, opts *CollectOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	info, err := collect.Collect(ctx, opts.GOOS, opts.Run, opts.Read)
	if err != nil {
		return usageError{err}
	}
	if opts.Into == "" {
		return info.WriteYAML(opts.IO.Out)
	}
	data, err := os.ReadFile(opts.Into)
	if err != nil {
		return usagef("read %s: %v; start the report with posture report new --device ID", opts.Into, err)
	}
	dev := registration(opts.Into, data)
	if err := samePlatform(dev, info.Platform); err != nil {
		return err
	}
	filled, changes, err := info.Fill(data)
	if err != nil {
		return usagef("%s: %v", opts.Into, err)
	}
	if err := atomicfile.WriteFile(opts.Into, filled, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", opts.Into, err)
	}
	writeChanges(opts.IO.ErrOut, opts.Into, changes, dev)
	for _, f := range info.Fields() {
		fmt.Fprintf(opts.IO.Out, "%s: %s\n", f[0], f[1])
	}
	fmt.Fprintf(opts.IO.Out, "filled into %s\n", opts.Into)
	return nil
}

// samePlatform refuses to fill a report of a device registered with
// another platform than this computer's: collect runs on the device itself.
// dev is the device's registration, nil when there is none.
func samePlatform(dev *record.Record, platform string) error {
	if dev == nil {
		return nil
	}
	if want := dev.String("platform"); want != "" && want != platform {
		return usagef("this computer runs %s but %s is registered as %s; run posture collect on that device", platform, record.IDOf(dev.Path), want)
	}
	return nil
}

// runCommand runs a system command without a shell and returns its output.
func runCommand(ctx context.Context, name string, args ...string) ([]byte, error) {
	return exec.CommandContext(ctx, name, args...).Output()
}

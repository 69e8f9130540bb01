// Command bench puts posture side by side with conftest (with an equivalent
// 3-rule policy set and with posture's own rules), opa eval and a floor
// program on generated organisations, checks first that all of them flag
// the same files, then times them (issues 6 and 13); and it times posture
// against itself and Git where the cost should follow the work: a one-file
// pull request, one named file, a second full check, an audit. Run it from
// the module's root:
//
//	go run ./bench -o bench/RESULTS.md
//
// See bench/README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/posture-dev/posture/internal/atomicfile"
)

// config holds the flags.
type config struct {
	sizes           []int
	runs            int
	toolsMax        int
	bigRuns         int
	diffN           int
	namedN          int
	warmN           int
	auditCommits    int
	auditDevices    int
	seed            uint64
	at              string
	work            string
	keep            bool
	out             string
	conftestVersion string
	conftest        string
	opaVersion      string
	opa             string
	args            []string
}

func main() {
	// Ctrl-C cancels the run, which ends the command being timed (each runs
	// in a process group of its own).
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	c := &config{args: args}
	fl := flag.NewFlagSet("bench", flag.ContinueOnError)
	fl.SetOutput(stderr)
	var sizes string
	const sizesUsage = "comma-separated `sizes`: employees, hence devices and reports; sizes above -tools-max run posture alone"
	fl.StringVar(&sizes, "sizes", "100,1000,10000,100000", sizesUsage)
	fl.StringVar(&sizes, "n", "100,1000,10000,100000", "the same as -sizes")
	fl.IntVar(&c.runs, "runs", 5, "timed runs of each command; figures are medians")
	fl.IntVar(&c.toolsMax, "tools-max", 10000, "the largest size at which conftest, opa eval and the floor run beside posture")
	fl.IntVar(&c.bigRuns, "big-runs", 1, "timed runs of posture at the sizes above -tools-max")
	fl.IntVar(&c.diffN, "diff-n", 100000, "reports in the large repository of the one-file pull request (0: skip it)")
	fl.IntVar(&c.namedN, "named-n", 10000, "reports in the large organisation of `posture check PATH` (0: skip it)")
	fl.IntVar(&c.warmN, "warm-n", 10000, "reports in the repository checked twice (0: skip the second full check)")
	fl.IntVar(&c.auditCommits, "audit-commits", 20000, "commits of the audited history (0: skip the audit)")
	fl.IntVar(&c.auditDevices, "audit-devices", 2000, "devices of the audited history")
	fl.Uint64Var(&c.seed, "seed", 1, "seed of the generated organisations")
	fl.StringVar(&c.at, "at", "2026-11-12", "posture's --at: the day of the check, so that runs do not depend on the clock")
	fl.StringVar(&c.work, "work", "", "working `folder` (default: a new temporary folder, removed at the end)")
	fl.BoolVar(&c.keep, "keep", false, "keep the working folder")
	fl.StringVar(&c.out, "o", "", "write the results as Markdown to this `file` (e.g. bench/RESULTS.md); they are printed either way")
	fl.StringVar(&c.conftestVersion, "conftest-version", "v0.71.1", "the conftest `version` to go install")
	fl.StringVar(&c.conftest, "conftest", "", "use this conftest `binary` instead of installing one")
	fl.StringVar(&c.opaVersion, "opa-version", "v1.22.2", "the opa `version` to go install")
	fl.StringVar(&c.opa, "opa", "", "use this opa `binary` instead of installing one")
	if err := fl.Parse(args); err != nil {
		return nil, err
	}
	if fl.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fl.Args())
	}
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-sizes: %q is not a positive number", s)
		}
		c.sizes = append(c.sizes, n)
	}
	if c.runs < 1 || c.bigRuns < 1 {
		return nil, errors.New("-runs and -big-runs must be at least 1")
	}
	for _, v := range []struct {
		name string
		n    int
	}{{"-diff-n", c.diffN}, {"-named-n", c.namedN}, {"-warm-n", c.warmN}, {"-audit-commits", c.auditCommits}} {
		if v.n < 0 {
			return nil, fmt.Errorf("%s must be 0 (skip) or more", v.name)
		}
	}
	if c.auditCommits > 0 && c.auditDevices < 1 {
		return nil, errors.New("-audit-devices must be at least 1")
	}
	if _, err := time.Parse(time.DateOnly, c.at); err != nil {
		return nil, fmt.Errorf("-at %q is not a date YYYY-MM-DD", c.at)
	}
	return c, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	logf := func(format string, a ...any) { fmt.Fprintf(stderr, format+"\n", a...) }

	root, err := moduleRoot(ctx)
	if err != nil {
		return err
	}
	work := c.work
	if work == "" {
		if work, err = os.MkdirTemp("", "posture-bench-"); err != nil {
			return err
		}
		if !c.keep {
			defer os.RemoveAll(work)
		}
	} else if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	logf("working in %s", work)

	t, err := prepareTools(ctx, root, work, c, logf)
	if err != nil {
		return err
	}
	res := &results{config: c, tools: t, started: time.Now(), loadStart: loadavg()}
	if res.machine, err = describeMachine(ctx, root); err != nil {
		return err
	}
	for _, n := range c.sizes {
		s, err := benchSize(ctx, root, work, n, c, t, logf)
		if err != nil {
			return fmt.Errorf("size %d: %w", n, err)
		}
		res.sizes = append(res.sizes, s)
	}
	repos := &repoSet{root: root, work: work, seed: c.seed, logf: logf}
	if c.diffN > 0 {
		if res.diff, err = benchDiff(ctx, repos, c, t, logf); err != nil {
			return fmt.Errorf("one-file pull request: %w", err)
		}
	}
	if c.namedN > 0 {
		if res.named, err = benchNamed(ctx, repos, c, t, logf); err != nil {
			return fmt.Errorf("posture check PATH: %w", err)
		}
	}
	if c.warmN > 0 {
		if res.warm, err = benchWarm(ctx, repos, c, t, logf); err != nil {
			return fmt.Errorf("second full check: %w", err)
		}
	}
	if c.auditCommits > 0 {
		if res.audit, err = benchAudit(ctx, work, c, t, logf); err != nil {
			return fmt.Errorf("audit: %w", err)
		}
	}
	res.loadEnd = loadavg()
	md := res.markdown()
	if _, err := io.WriteString(stdout, md); err != nil {
		return err
	}
	if c.out != "" {
		if err := atomicfile.WriteFile(c.out, []byte(md), 0o644); err != nil {
			return fmt.Errorf("write the results: %w", err)
		}
		logf("wrote %s", c.out)
	}
	return nil
}

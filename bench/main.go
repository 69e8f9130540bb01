// Command bench puts posture side by side with conftest and with a floor
// program on generated organisations, checks first that all three flag the
// same files, then times them (issue 6). Run it from the module's root:
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
	"strconv"
	"strings"
	"time"

	"github.com/posture-dev/posture/internal/atomicfile"
)

// config holds the flags.
type config struct {
	sizes           []int
	runs            int
	diffN           int
	seed            uint64
	at              string
	work            string
	keep            bool
	out             string
	conftestVersion string
	conftest        string
	args            []string
}

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	c := &config{args: args}
	fl := flag.NewFlagSet("bench", flag.ContinueOnError)
	fl.SetOutput(stderr)
	sizes := fl.String("n", "100,1000,10000", "comma-separated `sizes`: employees, hence devices and reports")
	fl.IntVar(&c.runs, "runs", 5, "timed runs of each command; figures are medians")
	fl.IntVar(&c.diffN, "diff-n", 10000, "reports in the large repository of the one-file change (0: skip the diff rows)")
	fl.Uint64Var(&c.seed, "seed", 1, "seed of the generated organisations")
	fl.StringVar(&c.at, "at", "2026-11-12", "posture's --at: the day of the check, so that runs do not depend on the clock")
	fl.StringVar(&c.work, "work", "", "working `folder` (default: a new temporary folder, removed at the end)")
	fl.BoolVar(&c.keep, "keep", false, "keep the working folder")
	fl.StringVar(&c.out, "o", "", "write the results as Markdown to this `file` (e.g. bench/RESULTS.md); they are printed either way")
	fl.StringVar(&c.conftestVersion, "conftest-version", "v0.71.1", "the conftest `version` to go install")
	fl.StringVar(&c.conftest, "conftest", "", "use this conftest `binary` instead of installing one")
	if err := fl.Parse(args); err != nil {
		return nil, err
	}
	if fl.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fl.Args())
	}
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-n: %q is not a positive number", s)
		}
		c.sizes = append(c.sizes, n)
	}
	if c.runs < 1 {
		return nil, errors.New("-runs must be at least 1")
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
	if c.diffN > 0 {
		if res.diff, err = benchDiff(ctx, root, work, c, t, logf); err != nil {
			return fmt.Errorf("one-file change: %w", err)
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

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

// command is one program run of the benchmark.
type command struct {
	name string   // the row's name
	show string   // the command as RESULTS.md shows it
	dir  string   // working folder
	exe  string   // program
	args []string // arguments
	// before runs before each run, untimed: it empties a cache folder for
	// a cold run.
	before func() error
	// stdout, when set, is a file that takes the standard output of a
	// timed run (which is discarded otherwise).
	stdout string
}

// sample is what one run of a command cost.
type sample struct {
	wall time.Duration
	cpu  time.Duration // user + system
	rss  int64         // peak resident set, bytes
}

// meterExe is the bench/meter binary that runs each command and reports
// its cost (see bench/meter for why the benchmark does not measure its own
// children). prepareTools sets it.
var meterExe string

// run runs c once through meterExe, its standard output to out (nil:
// discarded, or c.stdout). Exit codes 0 and 1 (findings) are success;
// anything else is an error.
func (c command) run(ctx context.Context, out io.Writer) (sample, int, error) {
	if c.before != nil {
		if err := c.before(); err != nil {
			return sample{}, -1, fmt.Errorf("%s: prepare: %w", c.show, err)
		}
	}
	cost, err := os.CreateTemp("", "posture-bench-cost-*.json")
	if err != nil {
		return sample{}, -1, err
	}
	cost.Close()
	defer os.Remove(cost.Name())
	cmd := exec.CommandContext(ctx, meterExe, append([]string{"-o", cost.Name(), c.exe}, c.args...)...)
	cmd.Dir = c.dir
	cmd.Stdout = out
	// A process group of its own, so that a cancelled run ends the command
	// with meter.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	if out == nil && c.stdout != "" {
		f, err := os.Create(c.stdout)
		if err != nil {
			return sample{}, -1, err
		}
		defer f.Close()
		cmd.Stdout = f
	}
	var errb bytes.Buffer
	cmd.Stderr = &errb
	err = cmd.Run()
	if cmd.ProcessState == nil {
		return sample{}, -1, fmt.Errorf("%s: %w", c.show, err)
	}
	code := cmd.ProcessState.ExitCode()
	if code != 0 && code != 1 {
		return sample{}, code, fmt.Errorf("%s (in %s): exit code %d\n%s", c.show, c.dir, code, tail(errb.String()))
	}
	b, err := os.ReadFile(cost.Name())
	if err != nil {
		return sample{}, code, err
	}
	var m struct {
		WallNS   int64 `json:"wall_ns"`
		UserNS   int64 `json:"user_ns"`
		SystemNS int64 `json:"system_ns"`
		MaxRSS   int64 `json:"maxrss"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return sample{}, code, fmt.Errorf("%s: read its cost: %w", c.show, err)
	}
	return sample{wall: time.Duration(m.WallNS), cpu: time.Duration(m.UserNS + m.SystemNS), rss: m.MaxRSS}, code, nil
}

// series runs each command runs times, interleaved: run r runs every
// command once, starting with a different one each run, so that the
// commands of one run share the machine's state and ratios can be paired.
// It returns samples[i][r] for command i in run r.
func series(ctx context.Context, cmds []command, runs int, logf func(string, ...any)) ([][]sample, error) {
	samples := make([][]sample, len(cmds))
	for i := range samples {
		samples[i] = make([]sample, runs)
	}
	for r := range runs {
		var line []string
		for k := range cmds {
			i := (r + k) % len(cmds)
			s, _, err := cmds[i].run(ctx, nil)
			if err != nil {
				return nil, err
			}
			samples[i][r] = s
			line = append(line, fmt.Sprintf("%s %.3fs %.0fMiB", cmds[i].name, s.wall.Seconds(), mib(s.rss)))
		}
		logf("  run %d/%d: %s", r+1, runs, strings.Join(line, ", "))
	}
	return samples, nil
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// stat summarises values: the median and the range.
type stat struct{ med, min, max float64 }

func summarise(v []float64) stat {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	med := s[n/2]
	if n%2 == 0 {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	return stat{med: med, min: s[0], max: s[n-1]}
}

// each applies f to every run's sample.
func each(ss []sample, f func(sample) float64) []float64 {
	out := make([]float64, len(ss))
	for i, s := range ss {
		out[i] = f(s)
	}
	return out
}

// paired is f(a[r], b[r]) for every run r: a ratio within one run.
func paired(a, b []sample, f func(a, b sample) float64) []float64 {
	out := make([]float64, len(a))
	for r := range a {
		out[r] = f(a[r], b[r])
	}
	return out
}

func wallRatio(a, b sample) float64 { return a.wall.Seconds() / b.wall.Seconds() }
func cpuRatio(a, b sample) float64  { return a.cpu.Seconds() / b.cpu.Seconds() }
func rssRatio(a, b sample) float64  { return float64(a.rss) / float64(b.rss) }
func wallSec(s sample) float64      { return s.wall.Seconds() }
func cpuSec(s sample) float64       { return s.cpu.Seconds() }
func rssMiB(s sample) float64       { return mib(s.rss) }

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"runtime"
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
}

// sample is what one run of a command cost.
type sample struct {
	wall time.Duration
	cpu  time.Duration // user + system
	rss  int64         // peak resident set, bytes
}

// run runs c once, its standard output to out (nil: discarded). Exit codes 0
// and 1 (findings) are success; anything else is an error.
func (c command) run(ctx context.Context, out io.Writer) (sample, int, error) {
	cmd := exec.CommandContext(ctx, c.exe, c.args...)
	cmd.Dir = c.dir
	cmd.Stdout = out
	var errb bytes.Buffer
	cmd.Stderr = &errb
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if cmd.ProcessState == nil {
		return sample{}, -1, fmt.Errorf("%s: %w", c.show, err)
	}
	code := cmd.ProcessState.ExitCode()
	if code != 0 && code != 1 {
		return sample{}, code, fmt.Errorf("%s (in %s): exit code %d\n%s", c.show, c.dir, code, tail(errb.String()))
	}
	s := sample{wall: wall, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.rss = int64(ru.Maxrss) * 1024 // KiB on Linux
		if runtime.GOOS == "darwin" {
			s.rss = int64(ru.Maxrss) // bytes on macOS
		}
	}
	return s, code, nil
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
func rssRatio(a, b sample) float64  { return float64(a.rss) / float64(b.rss) }
func wallSec(s sample) float64      { return s.wall.Seconds() }
func cpuSec(s sample) float64       { return s.cpu.Seconds() }
func rssMiB(s sample) float64       { return mib(s.rss) }

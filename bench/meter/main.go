// Command meter runs a command and writes what it cost: wall time, user and
// system CPU time and peak resident set, from the command's rusage.
//
//	meter -o cost.json exe args...
//
// The benchmark runs each timed command through meter rather than straight
// from its own process: Go starts a child with vfork semantics, sharing the
// parent's memory until exec, and Linux counts the parent's peak resident
// set into the child's maxrss at exec. A child of the benchmark, which holds
// generated data sets, would report at least the benchmark's peak; a child
// of meter reports at least meter's few MiB.
//
// The command's standard streams are meter's; meter exits with its exit
// code (125 when it could not run it).
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"syscall"
	"time"
)

// Cost is what meter writes to the -o file, as JSON.
type Cost struct {
	WallNS   int64 `json:"wall_ns"`
	UserNS   int64 `json:"user_ns"`
	SystemNS int64 `json:"system_ns"`
	// MaxRSS is the peak resident set in bytes.
	MaxRSS int64 `json:"maxrss"`
	Exit   int   `json:"exit"`
}

func main() {
	code, err := run(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "meter:", err)
		os.Exit(125)
	}
	os.Exit(code)
}

func run(args []string) (int, error) {
	fl := flag.NewFlagSet("meter", flag.ContinueOnError)
	out := fl.String("o", "", "write the cost to this `file`")
	if err := fl.Parse(args); err != nil {
		return 0, err
	}
	if fl.NArg() == 0 || *out == "" {
		return 0, errors.New("usage: meter -o cost.json exe args")
	}
	cmd := exec.Command(fl.Arg(0), fl.Args()[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if cmd.ProcessState == nil {
		return 0, err
	}
	c := Cost{WallNS: wall.Nanoseconds(), UserNS: cmd.ProcessState.UserTime().Nanoseconds(),
		SystemNS: cmd.ProcessState.SystemTime().Nanoseconds(), Exit: cmd.ProcessState.ExitCode()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		c.MaxRSS = int64(ru.Maxrss) * 1024 // KiB on Linux
		if runtime.GOOS == "darwin" {
			c.MaxRSS = int64(ru.Maxrss) // bytes on macOS
		}
	}
	b, err := json.Marshal(c)
	if err != nil {
		return 0, err
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return 0, err
	}
	return c.Exit, nil
}

// Command posture checks device security reports as code.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // the organisation's timezone, wherever posture runs

	"github.com/posture-dev/posture/internal/cli"
)

// exitInterrupted is the exit code of a run that Ctrl-C or SIGTERM
// stopped: 128 plus the number of SIGINT, as a shell reports a command that
// Ctrl-C ended.
const exitInterrupted = 130

func main() {
	ctx, stop := interruptible()
	code := runPosture(ctx, os.Args[1:], cli.IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr})
	stop()
	os.Exit(code)
}

// interruptible returns a context that the first Ctrl-C (SIGINT) or
// SIGTERM cancels, so that the command stops at its next look at it; a
// second one ends the process at once, as it would without posture's
// handling.
func interruptible() (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // the next signal does what it does by default
	}()
	return ctx, stop
}

// runPosture runs posture with args under ctx and returns its exit code:
// exitInterrupted once ctx is cancelled.
func runPosture(ctx context.Context, args []string, streams cli.IOStreams) int {
	code := cli.MainContext(ctx, args, streams)
	if ctx.Err() != nil {
		return exitInterrupted
	}
	return code
}

//go:build unix

package main

import (
	"bytes"
	"context"
	"strings"
	"syscall"
	"testing"

	"github.com/posture-dev/posture/internal/cli"
)

// TestInterruptCancels sends this process SIGINT, as Ctrl-C does: the
// context of the run is cancelled, with the signal as its cause, and the
// process goes on.
func TestInterruptCancels(t *testing.T) {
	ctx, stop := interruptible()
	defer stop()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	<-ctx.Done()
	if cause := context.Cause(ctx); cause == nil || !strings.Contains(cause.Error(), "interrupt") {
		t.Errorf("the context was cancelled by %v, want the interrupt", cause)
	}
}

// TestInterruptedCheckStops runs posture check under a cancelled context:
// it stops with the interrupted exit code and says why, without reporting
// on the records.
func TestInterruptedCheckStops(t *testing.T) {
	dir := t.TempDir()
	org(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	code := runPosture(ctx, []string{"check", "-C", dir}, cli.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut})
	if code != exitInterrupted {
		t.Errorf("exit %d, want %d", code, exitInterrupted)
	}
	if !strings.Contains(errOut.String(), context.Canceled.Error()) || out.Len() > 0 {
		t.Errorf("stdout %q, stderr %q; want nothing on stdout and the cancellation on stderr", out.String(), errOut.String())
	}
	// Uncancelled, the same check runs to its end.
	out.Reset()
	errOut.Reset()
	if code := runPosture(context.Background(), []string{"check", "-C", dir}, cli.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}); code == exitInterrupted || strings.Contains(errOut.String(), context.Canceled.Error()) {
		t.Errorf("uncancelled: exit %d, stderr %q", code, errOut.String())
	}
}

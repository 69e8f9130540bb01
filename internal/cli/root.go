// Package cli holds posture's commands. Each command has an Options struct,
// a NewCmdX constructor that binds flags to it and a runX function that tests
// call directly.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/posture-dev/posture/internal/check"
	"github.com/posture-dev/posture/internal/forge"
	"github.com/spf13/cobra"
)

// Exit codes.
const (
	ExitOK       = 0 // clean; warnings allowed
	ExitFindings = 1 // the check found problems
	ExitUsage    = 2 // bad flags or arguments, or an unreadable input location
	ExitInternal = 3 // posture itself failed
)

// IOStreams are the standard streams a command writes to.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
}

// Factory carries what commands depend on, so that tests can replace it.
type Factory struct {
	IO         IOStreams
	Now        func() time.Time
	Getenv     func(string) string
	HTTPClient *http.Client
	// TuneGitHub, when set, adjusts the GitHub client's options before it is
	// made: tests use it to inject a clock and a sleep that does not wait.
	TuneGitHub func(*forge.Options)
	// IsTerminal reports whether a stream is a terminal, for --color auto;
	// nil tells by the file (see fileIsTerminal).
	IsTerminal func(io.Writer) bool
}

// errFindings is returned by a command whose check found problems; they are
// already printed.
var errFindings = errors.New("findings")

// usageError marks a problem with what the user asked for.
type usageError struct{ error }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// Main runs posture with args (without the program name) and returns the
// exit code.
func Main(args []string, streams IOStreams) int {
	return MainContext(context.Background(), args, streams)
}

// MainContext is Main with a context that every command runs under:
// cancelling it (cmd/posture does on Ctrl-C) stops the command.
func MainContext(ctx context.Context, args []string, streams IOStreams) int {
	f := &Factory{IO: streams, Now: time.Now, Getenv: os.Getenv, HTTPClient: http.DefaultClient}
	root := NewCmdRoot(f)
	root.SetContext(ctx)
	return Execute(root, args, streams)
}

// Execute runs a root command and maps its error to an exit code.
func Execute(root *cobra.Command, args []string, streams IOStreams) int {
	root.SetArgs(args)
	root.SetOut(streams.Out)
	root.SetErr(streams.ErrOut)
	root.SetIn(streams.In)
	_, err := root.ExecuteC()
	if err == nil {
		return ExitOK
	}
	if errors.Is(err, errFindings) {
		return ExitFindings
	}
	fmt.Fprintf(streams.ErrOut, "posture: %v\n", err)
	var ie internalError
	if errors.As(err, &ie) {
		return ExitInternal
	}
	// Everything else is cobra's own word on flags, arguments and commands,
	// or a usageError or check.InputError from a command.
	return ExitUsage
}

// internalError marks a failure of posture itself rather than of its input.
type internalError struct{ error }

func (e internalError) Unwrap() error { return e.error }

// classify passes findings and input errors through and marks anything else
// as an internal failure. Every RunE returns through it.
func classify(err error) error {
	var ue usageError
	var ie *check.InputError
	switch {
	case err == nil, errors.Is(err, errFindings), errors.As(err, &ue), errors.As(err, &ie):
		return err
	}
	return internalError{err}
}

// NewCmdRoot builds the posture command tree.
func NewCmdRoot(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:           "posture",
		Short:         "Device security reports as code",
		Long:          "posture checks the device security reports, devices and people of a posture repository\nagainst its JSON Schemas and Rego policies.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       versionLine(),
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%w (see '%s --help')", err, c.CommandPath())}
	})
	root.AddCommand(NewCmdCheck(f, nil))
	root.AddCommand(NewCmdRules(f, nil))
	root.AddCommand(NewCmdOverview(f, nil))
	root.AddCommand(NewCmdAudit(f, nil))
	root.AddCommand(NewCmdSubject(f, nil))
	root.AddCommand(NewCmdRoute(f, nil))
	root.AddCommand(NewCmdGate(f, nil))
	root.AddCommand(NewCmdMerge(f, nil))
	root.AddCommand(NewCmdCodeowners(f, nil))
	root.AddCommand(NewCmdOpenIssues(f, nil))
	root.AddCommand(NewCmdRemind(f, nil))
	root.AddCommand(NewCmdFromIssue(f, nil))
	root.AddCommand(NewCmdReport(f, nil))
	root.AddCommand(NewCmdCollect(f, nil))
	root.AddCommand(NewCmdTest(f, nil))
	root.AddCommand(NewCmdDoctor(f, nil))
	root.AddCommand(NewCmdInit(f, nil))
	root.AddCommand(NewCmdUpgrade(f, nil))
	// cobra's own help and completion commands, made now rather than when
	// the root runs, so that their help ends with the exit codes too. The
	// completion command takes its writer when it is made.
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	root.SetIn(f.IO.In)
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	addExitCodes(root)
	return root
}

package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// exitMeaning says what exit codes 0 and 1 mean for one command; 2 and 3
// mean the same everywhere.
type exitMeaning struct {
	ok, findings string
}

// exitMeanings are the commands whose 0 says more than "done", or that exit
// 1, by command path without "posture ". A command that returns errFindings
// has an entry saying when.
var exitMeanings = map[string]exitMeaning{
	"":            {"done", "a problem the command reports: each command's help says which"},
	"check":       {"no errors (warnings allowed)", "the check found errors"},
	"audit":       {"no error findings (warnings allowed)", "the audit found errors"},
	"codeowners":  {"written, or up to date", "with --check: the file is missing or stale"},
	"doctor":      {"every line is ok", "a line is FAIL, or ?? (could not be checked)"},
	"from-issue":  {"pull request opened or up to date, or nothing to do", "the form has problems, commented on the issue"},
	"gate":        {"both statuses are success", "a status is not success (yet)"},
	"merge":       {"merged, or merged already", "the merge was refused; the reasons are printed"},
	"open-issues": {"every issue is open", "the run stopped at the cap or at GitHub's rate limit: run it again to resume"},
	"subject":     {"the login is printed", "the pull request is refused"},
	"test":        {"every test passed", "a test failed, or the policies do not load"},
	"upgrade":     {"upgraded, or nothing to do", "an edited file was refused; nothing was written"},
}

// The meanings of exit codes 2 and 3, the same for every command.
const (
	exitUsageMeaning    = "bad flags or arguments, or input that cannot be read or used"
	exitInternalMeaning = "posture itself failed"
)

// exitCodesHelp is the section that ends the help of the command at path
// (without "posture ").
func exitCodesHelp(path string) string {
	m, ok := exitMeanings[path]
	if !ok {
		m.ok = "done"
	}
	var b strings.Builder
	b.WriteString("Exit codes:\n")
	fmt.Fprintf(&b, "  %d  %s\n", ExitOK, m.ok)
	if m.findings != "" {
		fmt.Fprintf(&b, "  %d  %s\n", ExitFindings, m.findings)
	}
	fmt.Fprintf(&b, "  %d  %s\n", ExitUsage, exitUsageMeaning)
	fmt.Fprintf(&b, "  %d  %s", ExitInternal, exitInternalMeaning)
	return b.String()
}

// addExitCodes ends the long help of root and of every command under it
// that runs with the exit codes it can return.
func addExitCodes(root *cobra.Command) {
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Runnable() || c == root {
			long := c.Long
			if long == "" {
				long = c.Short + "."
			}
			c.Long = strings.TrimRight(long, "\n") + "\n\n" + exitCodesHelp(commandKey(c))
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// commandKey is a command's path without the root's name: "report new".
func commandKey(c *cobra.Command) string {
	if !c.HasParent() {
		return ""
	}
	return strings.TrimPrefix(c.CommandPath(), c.Root().Name()+" ")
}

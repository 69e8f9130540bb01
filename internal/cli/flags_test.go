package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// runF runs posture with a factory that tune may change first.
func runF(t *testing.T, tune func(*Factory), args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	streams := IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	f := &Factory{IO: streams, Now: func() time.Time { return time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC) },
		Getenv: func(string) string { return "" }}
	if tune != nil {
		tune(f)
	}
	code = Execute(NewCmdRoot(f), args, streams)
	return code, out.String(), errOut.String()
}

// commands returns every command of the tree that runs, and the root.
func commands(t *testing.T) []*cobra.Command {
	t.Helper()
	f := &Factory{IO: IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard}, Now: time.Now,
		Getenv: func(string) string { return "" }}
	root := NewCmdRoot(f)
	var out []*cobra.Command
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Runnable() || c == root {
			out = append(out, c)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	if len(out) < 20 {
		t.Fatalf("only %d commands", len(out))
	}
	return out
}

// args are the words that run c: its path without "posture".
func args(c *cobra.Command) []string {
	return strings.Fields(commandKey(c))
}

func TestEveryHelpEndsWithTheExitCodes(t *testing.T) {
	for _, c := range commands(t) {
		key := commandKey(c)
		t.Run("posture "+key, func(t *testing.T) {
			code, stdout, stderr := runF(t, nil, append(args(c), "--help")...)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			head, _, ok := strings.Cut(stdout, "\nUsage:")
			if !ok {
				t.Fatalf("no usage in the help:\n%s", stdout)
			}
			want := []string{"\n\nExit codes:\n  0  ", "\n  2  " + exitUsageMeaning + "\n", "\n  3  " + exitInternalMeaning + "\n"}
			for _, w := range want {
				if !strings.Contains(head+"\n", w) {
					t.Errorf("help lacks %q before Usage:\n%s", w, head)
				}
			}
			m, ok := exitMeanings[key]
			if ok && !strings.Contains(head, "\n  1  "+m.findings+"\n") {
				t.Errorf("help lacks exit 1 (%s):\n%s", m.findings, head)
			}
			if !ok && strings.Contains(head, "\n  1  ") {
				t.Errorf("help names an exit code 1 the command does not use:\n%s", head)
			}
			if n := strings.Count(strings.ToLower(stdout), "exit codes"); n != 1 {
				t.Errorf("help speaks of exit codes %d times; want one table:\n%s", n, stdout)
			}
		})
	}
	// Every command the table names exists.
	root := NewCmdRoot(&Factory{Getenv: func(string) string { return "" }})
	for key := range exitMeanings {
		if c, _, err := root.Find(strings.Fields(key)); err != nil || commandKey(c) != key {
			t.Errorf("exitMeanings names %q, which is no command", key)
		}
	}
}

func TestFormatIsFEverywhere(t *testing.T) {
	n := 0
	for _, c := range commands(t) {
		fl := c.Flags().Lookup("format")
		if fl == nil {
			continue
		}
		n++
		if fl.Shorthand != "f" {
			t.Errorf("posture %s --format has shorthand %q; want -f", commandKey(c), fl.Shorthand)
		}
		// -f takes a value the command knows: the one the help names first.
		values := completions(t, append(args(c), "--format", "")...)
		if len(values) < 2 || values[0] != fl.DefValue {
			t.Errorf("posture %s --format completes %q; want the formats, default %q first", commandKey(c), values, fl.DefValue)
		}
		if want := "output `format`: " + orList(values); fl.Usage != want {
			t.Errorf("posture %s --format: usage %q; want %q", commandKey(c), fl.Usage, want)
		}
	}
	if n < 5 {
		t.Errorf("only %d commands have --format", n)
	}
	// -f parses as --format does: an unknown one is a usage error.
	for _, a := range [][]string{{"check", "-f", "xml"}, {"rules", "-f", "xml"}, {"overview", "-f", "xml"}, {"audit", "--from", "2026-01", "-f", "xml"}} {
		if code, _, stderr := runF(t, nil, a...); code != ExitUsage || !strings.Contains(stderr, `"xml"`) {
			t.Errorf("%v: exit %d, %s", a, code, stderr)
		}
	}
}

// talksToGitHub are the commands that call GitHub's API.
var talksToGitHub = []string{"route", "gate", "merge", "subject", "open-issues", "remind", "from-issue", "overview", "doctor"}

func TestRepoIsREverywhere(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range commands(t) {
		key := commandKey(c)
		api := c.Flags().Lookup("api-url")
		if slices.Contains(talksToGitHub, key) {
			seen[key] = true
			if api == nil {
				t.Errorf("posture %s talks to GitHub but has no --api-url", key)
			}
		} else if api != nil {
			t.Errorf("posture %s has --api-url: add it to talksToGitHub", key)
		}
		if api == nil {
			continue
		}
		repo := c.Flags().Lookup("repo")
		if repo == nil || repo.Shorthand != "R" {
			t.Errorf("posture %s: want -R/--repo", key)
			continue
		}
		if name, _ := pflag.UnquoteUsage(repo); name != "OWNER/NAME" {
			t.Errorf("posture %s --repo: placeholder %q; want OWNER/NAME", key, name)
		}
	}
	for _, key := range talksToGitHub {
		if !seen[key] {
			t.Errorf("no command %q", key)
		}
	}
}

func TestPeriodsAreWrittenYYYYMM(t *testing.T) {
	other := regexp.MustCompile(`PERIOD|<period>|yyyy-mm|YYYYMM|\bP\b`)
	for _, c := range commands(t) {
		key := commandKey(c)
		if m := other.FindString(c.Use + "\n" + c.Long + "\n" + c.Example); m != "" {
			t.Errorf("posture %s writes a period %q; write YYYY-MM", key, m)
		}
		c.Flags().VisitAll(func(fl *pflag.Flag) {
			name, usage := pflag.UnquoteUsage(fl)
			if m := other.FindString(usage); m != "" {
				t.Errorf("posture %s --%s writes a period %q; write YYYY-MM", key, fl.Name, m)
			}
			isPeriod := fl.Name == "period" || (key == "audit" && (fl.Name == "from" || fl.Name == "to"))
			if isPeriod != (name == "YYYY-MM") {
				t.Errorf("posture %s --%s: placeholder %q", key, fl.Name, name)
			}
			if isPeriod {
				if _, ok := c.GetFlagCompletionFunc(fl.Name); !ok {
					t.Errorf("posture %s --%s: no completion", key, fl.Name)
				}
			}
		})
	}
}

// TestExitOneIsInTheHelp reads the commands' source: a file whose command
// returns errFindings (exit 1) names that command in exitMeanings, so its
// help says when.
func TestExitOneIsInTheHelp(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	use := regexp.MustCompile("(?m)^\\s*Use:\\s*\"([a-z-]+)")
	named := map[string]bool{}
	for key := range exitMeanings {
		if f := strings.Fields(key); len(f) > 0 {
			named[f[len(f)-1]] = true
		}
	}
	n := 0
	for _, p := range files {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`return errFindings\b`).Match(src) {
			continue
		}
		for _, m := range use.FindAllSubmatch(src, -1) {
			n++
			if !named[string(m[1])] {
				t.Errorf("%s: posture %s can exit 1; say when in exitMeanings (help.go)", p, m[1])
			}
		}
	}
	if n < 8 {
		t.Errorf("only %d commands exit 1", n)
	}
}

// TestEveryFlagNamesItsValue: the help shows what a flag's value is
// (`--pr number`, `--period YYYY-MM`), never its Go type.
func TestEveryFlagNamesItsValue(t *testing.T) {
	for _, c := range commands(t) {
		c.Flags().VisitAll(func(fl *pflag.Flag) {
			if name, _ := pflag.UnquoteUsage(fl); slices.Contains([]string{"string", "int", "int64", "stringArray", "strings"}, name) {
				t.Errorf("posture %s --%s shows its value as %q: name it in the usage with backquotes", commandKey(c), fl.Name, name)
			}
		})
	}
}

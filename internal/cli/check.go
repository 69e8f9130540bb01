package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/posture-dev/posture/internal/check"
	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/policy"
	"github.com/posture-dev/posture/internal/report"
	"github.com/spf13/cobra"
)

// CheckOptions are the inputs of posture check.
type CheckOptions struct {
	IO     IOStreams
	Now    func() time.Time
	Getenv func(string) string

	Dir    string
	Paths  []string
	Base   string
	Head   string
	Author string
	// AuthorSet is set when --author was given, even as "".
	AuthorSet bool
	Format    string
	At        string
	Color     ColorOptions
	Cache     CacheFlags
}

// NewCmdCheck builds posture check.
func NewCmdCheck(f *Factory, runF func(*CheckOptions) error) *cobra.Command {
	opts := &CheckOptions{IO: f.IO, Now: f.Now, Getenv: f.Getenv}
	cmd := &cobra.Command{
		Use:   "check [PATH...]",
		Short: "Check records against the schemas and policies",
		Long: `Check the records of a posture repository: every person, device, report and exception,
or the files and folders named (relative to --dir).

With --base, check a pull request instead: only the records changed between the merge base
of --base and --head, read from Git without a checkout, judged by the policies, schemas,
settings, people, devices and exceptions of --base. Nothing in the change is trusted.`,
		Example: `  posture check
  posture check reports/2026-11
  posture check --base origin/main --head HEAD --author octocat --format github`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			opts.AuthorSet = cmd.Flags().Changed("author")
			if runF != nil {
				return runF(opts)
			}
			return classify(runCheck(cmd.Context(), opts))
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Dir, "dir", "C", ".", "the repository's root `folder`")
	fl.StringVar(&opts.Base, "base", "", "check a pull request into this `ref` (branch, tag or commit)")
	fl.StringVar(&opts.Head, "head", "", "the pull request's head `ref` (default HEAD; needs --base)")
	fl.StringVar(&opts.Author, "author", "", "the pull request author's GitHub `login`: refuse reports for devices of others (needs --base)")
	addFormatFlag(cmd, &opts.Format, reportFormats()...)
	addColorFlag(cmd, f, &opts.Color)
	fl.StringVar(&opts.At, "at", "", "the `time` of the check, YYYY-MM-DD or RFC 3339 (default now), for reproducible runs")
	addCacheFlags(cmd, &opts.Cache)
	return cmd
}

func runCheck(ctx context.Context, opts *CheckOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	format, err := report.ParseFormat(opts.Format)
	if err != nil {
		return usageError{err}
	}
	if opts.Base == "" && (opts.Head != "" || opts.Author != "") {
		return usagef("--head and --author need --base")
	}
	if opts.AuthorSet && !validLogin(opts.Author) {
		return usagef("--author %q is not a GitHub login: name the pull request's author, or leave --author out (a check without it cannot tell whose records they are)", opts.Author)
	}
	if opts.Base != "" && len(opts.Paths) > 0 {
		return usagef("--base checks the records the pull request changes; name no paths with it")
	}
	now := opts.Now()
	if opts.At != "" {
		if now, err = parseAt(opts.At); err != nil {
			return err
		}
	}
	defer tuneGC(opts.Getenv)()
	var res *check.Result
	if opts.Base != "" {
		res, err = check.Diff(ctx, check.DiffOptions{Dir: opts.Dir, Base: opts.Base, Head: opts.Head, Author: opts.Author, Now: now})
	} else {
		var paths []string
		if paths, err = relPaths(opts.Dir, opts.Paths); err != nil {
			return err
		}
		var cache *check.Cache
		if len(paths) == 0 {
			if root, err := filepath.Abs(opts.Dir); err == nil {
				cache = opts.Cache.open(root, opts.IO.ErrOut)
			}
		}
		res, err = check.Full(ctx, check.Options{Dir: opts.Dir, Paths: paths, Now: now, Cache: cache})
		if cache != nil && err == nil {
			closeCache(cache, opts.IO.ErrOut)
		}
	}
	if err != nil {
		return err
	}
	ropts := report.Options{Color: opts.Color.On(opts.IO.Out)}
	if format == report.GitHub {
		if p := opts.Getenv("GITHUB_STEP_SUMMARY"); p != "" {
			// Appended, not replaced: GitHub's step summary protocol (each
			// step adds to the file); see internal/atomicfile.
			f, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
			if err != nil {
				return fmt.Errorf("open the step summary: %w", err)
			}
			defer f.Close()
			ropts.StepSummary = f
		}
	}
	if err := report.Write(opts.IO.Out, format, reportResult(res), ropts); err != nil {
		return fmt.Errorf("write the result: %w", err)
	}
	if deny, _ := finding.Count(res.Findings); deny > 0 {
		return errFindings
	}
	return nil
}

// gcPercent is the garbage collector's target growth of a check. A check of
// many records holds the registry as the policies read it (some 3
// KiB a person or device) for the whole run and makes much short-lived
// garbage evaluating the policies; at Go's default of 100 the heap grows to
// twice what it holds, at 50 to one and a half. Measured (/usr/bin/time -v,
// posture check, load 4-7): 10,000 employees peak at 129-135 MiB instead of
// 180-184 MiB, 100,000 at 936 MiB instead of over 1.4 GiB, for 13-20% more
// CPU.
const gcPercent = 50

// tuneGC sets gcPercent unless GOGC or GOMEMLIMIT in the environment says
// otherwise, and returns what puts the default back.
func tuneGC(getenv func(string) string) func() {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(gcPercent)
	return func() { debug.SetGCPercent(old) }
}

func reportResult(res *check.Result) report.Result {
	return report.Result{Findings: res.Findings, Checked: res.Checked, Rules: ruleInfos(res.Rules), Version: Version()}
}

func ruleInfos(rules []policy.RuleInfo) []report.RuleInfo {
	out := make([]report.RuleInfo, 0, len(rules))
	for _, r := range rules {
		out = append(out, report.RuleInfo{ID: r.ID, Title: r.Title, Description: r.Description, Severity: finding.Severity(r.Severity), Remediation: r.Remediation})
	}
	return out
}

func parseAt(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.Add(12 * time.Hour), nil
	}
	return time.Time{}, usagef("--at %q is not a date (YYYY-MM-DD) or an RFC 3339 time", s)
}

// relPaths turns paths given on the command line (relative to --dir, or
// absolute inside it) into slash-separated paths relative to the
// repository root.
func relPaths(dir string, paths []string) ([]string, error) {
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range paths {
		// A relative path is relative to --dir, as --help says; an
		// absolute one must lie inside it.
		abs := filepath.Clean(p)
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(root, p)
		}
		rel, err := filepath.Rel(root, abs)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil, usagef("%s is outside the repository at %s", p, dir)
		}
		if rel == "." {
			return nil, nil
		}
		out = append(out, filepath.ToSlash(rel))
	}
	return out, nil
}

// validLogin reports whether s can be a GitHub login: not empty, and no
// space or control character (bots' logins end in "[bot]").
func validLogin(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f })
}

package cli

import (
	"fmt"
	"io"
	"strings"
)

// The offline dry runs of the monthly commands: the plan from the clone
// alone, with no GitHub client and no request.

// offlineDryRun says whether a monthly command's dry run stays offline:
// asked for with --offline, or implied, with a note on errOut, by a dry
// run without a token. --offline without --dry-run is a usage error: a
// real run has to ask GitHub what exists.
func offlineDryRun(dryRun, offline bool, getenv func(string) string, errOut io.Writer) (bool, error) {
	switch {
	case offline && !dryRun:
		return false, usagef("--offline works only with --dry-run: a real run must ask GitHub what exists; add --dry-run or drop --offline")
	case offline:
		return true, nil
	case dryRun && getenv("GITHUB_TOKEN") == "" && getenv("GH_TOKEN") == "":
		fmt.Fprintln(errOut, "posture: no $GITHUB_TOKEN or $GH_TOKEN, so this dry run is offline (as with --offline): "+
			"the plan comes from the clone alone, without asking GitHub what exists")
		return true, nil
	}
	return false, nil
}

// offlineRepo returns the OWNER/NAME that an offline dry run's form links
// name: --repo, else $GITHUB_REPOSITORY, else a placeholder, said on errOut.
func offlineRepo(o GitHubOptions, getenv func(string) string, errOut io.Writer) (string, error) {
	repo := o.Repo
	if repo == "" {
		repo = getenv("GITHUB_REPOSITORY")
	}
	if repo == "" {
		fmt.Fprintln(errOut, "posture: no --repo or $GITHUB_REPOSITORY; the form links below say OWNER/NAME")
		return "OWNER/NAME", nil
	}
	owner, name, ok := strings.Cut(repo, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return "", usagef("name the repository as OWNER/NAME with --repo or $GITHUB_REPOSITORY (got %q)", repo)
	}
	return repo, nil
}

// dryRunFailed is the error of a dry run that could not read GitHub. A dry
// run changes nothing, so there is nothing to resume: it points to the
// offline plan instead.
func dryRunFailed(err error) error {
	return fmt.Errorf("the dry run could not read GitHub: %w; add --offline to see the plan from the clone alone", err)
}

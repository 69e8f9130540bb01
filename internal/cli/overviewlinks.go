package cli

import (
	"context"
	"net/url"
	"regexp"
	"strings"

	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/monthly"
)

// repoWebURL is the web address of the repository the overview links to:
// with --github the one it asked; else --repo or $GITHUB_REPOSITORY; else
// the clone's origin when that is on the GitHub server
// ($GITHUB_SERVER_URL, default https://github.com); "" when none is known.
func repoWebURL(opts *OverviewOptions, c *forge.Client, repo *gitrepo.Repo) string {
	server := strings.TrimSuffix(opts.Getenv("GITHUB_SERVER_URL"), "/")
	if server == "" {
		server = "https://github.com"
	}
	name := ""
	switch {
	case c != nil:
		name = c.Owner() + "/" + c.Repo()
	case opts.Repo != "":
		name = opts.Repo
	case opts.Getenv("GITHUB_REPOSITORY") != "":
		name = opts.Getenv("GITHUB_REPOSITORY")
	default:
		if origin, err := repo.RemoteURL("origin"); err == nil {
			name = remoteRepo(origin, server)
		}
	}
	if !ownerName.MatchString(name) {
		return ""
	}
	return server + "/" + name
}

var (
	ownerName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$`)
	scpLike   = regexp.MustCompile(`^[^@/]+@([^:/]+):(.+)$`) // git@github.com:OWNER/NAME.git
)

// remoteRepo reads OWNER/NAME from a remote URL on server's host, or "".
// Credentials in the URL are dropped with everything else but the name.
func remoteRepo(remote, server string) string {
	su, err := url.Parse(server)
	if err != nil || su.Host == "" {
		return ""
	}
	host, path := "", ""
	if m := scpLike.FindStringSubmatch(remote); m != nil && !strings.Contains(remote, "://") {
		host, path = m[1], m[2]
	} else if u, err := url.Parse(remote); err == nil {
		host, path = u.Hostname(), u.Path
	}
	if !strings.EqualFold(host, su.Hostname()) {
		return ""
	}
	return strings.TrimSuffix(strings.Trim(path, "/"), ".git")
}

// monthlyIssues maps each person to the number of their monthly issue of
// period (the newest, when there are several).
func monthlyIssues(ctx context.Context, c *forge.Client, period string) (map[string]int, error) {
	issues, err := c.ListIssues(ctx, []string{monthly.Label(period)}, "all")
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, is := range issues { // newest first
		p, subject, ok := monthly.ParseKey(is.GetBody())
		if _, seen := out[subject]; ok && p == period && !seen {
			out[subject] = is.GetNumber()
		}
	}
	return out, nil
}

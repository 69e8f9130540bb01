package overview

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/posture-dev/posture/internal/monthly"
)

// links makes the GitHub addresses of the overview's commit; with no base
// (the repository's address unknown) every link is "".
type links struct {
	base   string // e.g. https://github.com/acme/device-reports
	commit string
}

// file is path's page at the overview's commit.
func (l links) file(path string) string {
	if l.base == "" {
		return ""
	}
	return l.base + "/blob/" + l.commit + "/" + escapePath(path)
}

// pull is pull request n's page.
func (l links) pull(n int) string {
	if l.base == "" || n == 0 {
		return ""
	}
	return fmt.Sprintf("%s/pull/%d", l.base, n)
}

// issue is the page of an employee's monthly issue of period: issue n, or
// a search by the period's label and the employee's id in the title when n
// is not known.
func (l links) issue(n int, period, employee string) string {
	if l.base == "" {
		return ""
	}
	if n != 0 {
		return fmt.Sprintf("%s/issues/%d", l.base, n)
	}
	q := fmt.Sprintf(`is:issue label:"%s" in:title "(%s)"`, monthly.Label(period), employee)
	return l.base + "/issues?q=" + url.QueryEscape(q)
}

// device makes the links of d's line in period: the pull request is the
// one that brought in a merged report, or the open one of a report in
// review.
func (l links) device(d *Device, issues map[string]int, period string) Links {
	out := Links{Issue: l.issue(issues[d.Employee], period, d.Employee)}
	switch d.State {
	case Merged:
		out.Report, out.PullRequest = l.file(d.Path), l.pull(d.AcceptedPull)
	case InReview:
		out.PullRequest = l.pull(d.PullRequest)
		if out.PullRequest != "" {
			out.Report = out.PullRequest + "/files"
		}
	}
	return out
}

// escapePath escapes each segment of a slash-separated path for a URL.
func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

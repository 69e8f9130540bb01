package monthly

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/posture-dev/posture/internal/ahead"
)

// Label returns the label of a period's issues, e.g. report/2026-12.
func Label(period string) string { return "report/" + period }

// Key returns the hidden key that marks the issue of subject for period.
// It is how a later run finds the issues an earlier one opened.
func Key(period, subject string) string {
	return fmt.Sprintf("<!-- posture:report %s/%s -->", period, subject)
}

var keyRe = regexp.MustCompile(`^<!-- posture:report ([0-9]{4}-[0-9]{2})/([a-z0-9][a-z0-9-]{0,62}) -->$`)

// ParseKey returns the period and subject an issue body's key names: its
// first line, where Body writes it. A key anywhere else counts for
// nothing: the body shows text employees typed (a device's model), which
// must neither add a key nor hide posture's.
func ParseKey(body string) (period, subject string, ok bool) {
	first, _, _ := strings.Cut(body, "\n")
	m := keyRe.FindStringSubmatch(strings.TrimSuffix(first, "\r"))
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

// Guide is what the issue body needs beyond the subject: the due day, the
// repository's web address for the form links, and which platforms the
// policies expect an antivirus and a quick scan on (policies/data.yaml).
type Guide struct {
	Due            string // YYYY-MM-DD
	Timezone       string
	RepoURL        string // e.g. https://github.com/acme/device-reports
	AVPlatforms    []string
	QuickPlatforms []string
	// Ahead holds the warnings of what is coming, by owner (person id):
	// ahead.ByOwner of ahead.Compute for the period.
	Ahead map[string][]ahead.Warning
}

// DefaultGuide has the platform lists of the shipped policies/data.yaml.
func DefaultGuide() Guide {
	return Guide{AVPlatforms: []string{"windows", "macos", "linux", "android"}, QuickPlatforms: []string{"windows"}}
}

// Title returns the issue title for s, the name shortened (with "…") to
// keep it within maxTitle characters.
func Title(period string, s Subject) string {
	t := fmt.Sprintf("Device security report %s: %s (%s)", period, s.Name, s.ID)
	if over := utf8.RuneCountInString(t) - maxTitle; over > 0 {
		name := []rune(s.Name)
		t = fmt.Sprintf("Device security report %s: %s… (%s)", period, string(name[:max(0, len(name)-over-1)]), s.ID)
	}
	return t
}

// maxTitle is the longest issue title GitHub takes: a longer one is
// refused ("title is too long (maximum is 256 characters)").
const maxTitle = 256

// Body returns the issue body for s: the hidden key, what is coming (the
// warnings of g.Ahead for s), what to report for each device, when, and
// the two ways to do it.
func (g Guide) Body(period string, s Subject) string {
	var b strings.Builder
	b.WriteString(Key(period, s.ID) + "\n")
	who := s.Name
	if s.Login != "" {
		who = "@" + s.Login
	}
	fmt.Fprintf(&b, "%s, please report the security status of each device below for **%s** by **%s** (%s).\n\n", who, period, g.Due, g.Timezone)
	b.WriteString("Report each device either way: fill in its **form** (the link opens it prefilled), or open a **pull request** " +
		"with the file (see `docs/employee.md`). This issue closes itself once every device's report is merged.\n")
	if ws := g.Ahead[s.ID]; len(ws) > 0 {
		b.WriteString("\n### Coming up\n\nAct on these before their dates; nothing here is late yet.\n\n")
		for _, w := range ws {
			fmt.Fprintf(&b, "- %s `%s`: %s\n", aheadLabel[w.Kind], w.Device, w.Message)
		}
	}
	for _, d := range s.Devices {
		fmt.Fprintf(&b, "\n### %s\n\n%s (%s %s)\n\n", d.ID, codeSpan(d.Model), d.Platform, d.Type)
		fmt.Fprintf(&b, "- What to report: %s.\n", strings.Join(code(g.Fields(d.Platform)), ", "))
		fmt.Fprintf(&b, "- Form: [report %s for %s](%s)\n", d.ID, period, g.FormURL(period, d.ID))
		fmt.Fprintf(&b, "- Pull request: `posture report new --device %s --period %s` writes `%s` for you to complete.\n", d.ID, period, ReportPath(period, d.ID))
	}
	return b.String()
}

// aheadLabel names each kind of warning in the issue.
var aheadLabel = map[string]string{
	ahead.OSEndOfSupport:   "**OS support ends**",
	ahead.ExceptionExpires: "**Exception expires**",
	ahead.NotReported:      "**Not reported**",
}

// FormURL returns the link that opens the monthly report form with the
// device and period filled in.
func (g Guide) FormURL(period, device string) string {
	q := url.Values{}
	q.Set("template", "monthly-report.yml")
	q.Set("title", fmt.Sprintf("Device report %s %s", period, device))
	q.Set("device", device)
	q.Set("period", period)
	return g.RepoURL + "/issues/new?" + q.Encode()
}

// Fields lists the report fields to fill in for a platform, besides the
// period, device and reporter.
func (g Guide) Fields(platform string) []string {
	f := []string{}
	if platform == "linux" {
		f = append(f, "os_name")
	}
	f = append(f, "os_version")
	switch platform {
	case "windows", "macos":
		f = append(f, "os_build")
	case "android":
		f = append(f, "security_patch")
	}
	if slices.Contains(g.AVPlatforms, platform) {
		f = append(f, "antivirus", "real_time_protection", "signatures_updated")
		if slices.Contains(g.QuickPlatforms, platform) {
			f = append(f, "last_quick_scan")
		}
		f = append(f, "last_full_scan", "threats_found", "threats_resolved")
	} else {
		f = append(f, "antivirus: not_applicable")
	}
	return append(f, "disk_encryption", "screen_lock_minutes", "jailbroken", "wifi_mac")
}

// codeSpan shows text typed by an employee (a device's model, from the
// register form) as code, so that nothing in it renders or mentions anyone.
func codeSpan(s string) string {
	s = strings.NewReplacer("\n", " ", "\r", " ").Replace(s)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	return fence + " " + s + " " + fence
}

func code(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = "`" + s + "`"
	}
	return out
}

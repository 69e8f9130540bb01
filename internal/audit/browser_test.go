package audit

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/browsertest"
)

// matches returns how many times re matches s.
func matches(s, re string) int { return len(regexp.MustCompile(re).FindAllStringIndex(s, -1)) }

func TestHTMLInBrowser(t *testing.T) {
	a := runAudit(t, scenario(t).Dir, Options{From: "2026-01", To: "2026-02"})
	var page bytes.Buffer
	if err := Write(&page, "html", a); err != nil {
		t.Fatal(err)
	}
	dom := browsertest.RenderDOM(t, page.Bytes())
	for _, want := range []string{
		"<title>Audit working paper: Audit Test Org, 2026-01 to 2026-02</title>",
		`<g class="bar" data-label="2026-01">`, `<g class="bar" data-label="2026-02">`,
		`data-segment="missing" data-value="1"`,
		"<p>18 errors, 0 warnings, in 15 groups by cause and commit.</p>",
		`<summary><span class="error">error</span> 1 approval in `,
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("the rendered page lacks %s", want)
		}
	}
	if n := matches(dom, `<g class="bar"`); n != len(a.Periods) {
		t.Errorf("%d bars, want one per period (%d)", n, len(a.Periods))
	}
	// The working paper's sections, in order.
	last := -1
	for _, id := range []string{`id="scope"`, `id="population"`, `id="exceptions"`, `id="findings"`, `id="evidence"`} {
		i := strings.Index(dom, id)
		if i < last {
			t.Errorf("section %s is missing or out of order", id)
		}
		last = i
	}
	groups := Groups(a.Findings)
	if n := matches(dom, `<details class="group"`); n != len(groups) {
		t.Errorf("%d folded groups, want %d", n, len(groups))
	}
	if n := matches(dom, `<details [^>]*open`); n != 0 {
		t.Errorf("%d groups are open; the list is folded", n)
	}
	table := regexp.MustCompile(`(?s)<table id="evidence-table">.*?</table>`).FindString(dom)
	if n := matches(table, `<tr><td class="nw">2026-0`); n != len(a.Evidence) {
		t.Errorf("%d evidence rows, want %d", n, len(a.Evidence))
	}
	if matches(dom, `(src|href)="(https?:)?//`) > 0 {
		t.Error("the page is not self-contained")
	}
}

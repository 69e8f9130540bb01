package overview

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/browsertest"
)

// count returns how many times re matches s.
func count(s, re string) int { return len(regexp.MustCompile(re).FindAllStringIndex(s, -1)) }

func TestHTMLInBrowser(t *testing.T) {
	o := build(t, february(t), map[string]int{"reports/2026-02/d5.yaml": 12})
	var page bytes.Buffer
	if err := Write(&page, "html", o); err != nil {
		t.Fatal(err)
	}
	dom := browsertest.RenderDOM(t, page.Bytes())
	for _, want := range []string{
		"<title>Device security reports: Overview &lt;Test&gt; Org, 2026-02</title>", // escaped, not markup
		`<tr class="total"><td>all</td><td class="n">3</td><td class="n">5</td><td class="n">3</td><td class="n">1</td><td class="n">1</td>`,
		`<g class="bar" data-label="Engineering">`, `<g class="bar" data-label="Sales">`,
		`data-segment="failing" data-value="1"`, `data-segment="in review" data-value="1"`,
		`<td>in review in pull request #12, not merged</td>`,
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("the rendered page lacks %s", want)
		}
	}
	if n := count(dom, `<g class="bar"`); n != len(o.Departments) {
		t.Errorf("%d bars, want one per department (%d)", n, len(o.Departments))
	}
	if n := count(dom, `<tr class="(failing|missing|late)">`); n != len(o.FollowUp) {
		t.Errorf("%d follow-up rows, want %d", n, len(o.FollowUp))
	}
	if strings.Contains(dom, "<Test>") || count(dom, `(src|href)="(https?:)?//`) > 0 {
		t.Error("the page is not self-contained or lets record text in as markup")
	}
}

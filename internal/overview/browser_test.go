package overview

import (
	"bytes"
	"flag"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/posture-dev/posture/internal/browsertest"
)

var screenshots = flag.Bool("screenshots", false, "save the browser tests' screenshots under docs/img/ for docs/contractor.md")

// page renders o as the HTML page.
func page(t *testing.T, o *Overview) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, "html", o); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// queue drives the overview page in a browser.
type queue struct {
	t     *testing.T
	tab   *browsertest.Tab
	url   string
	loads int
}

func openQueue(t *testing.T, o *Overview, opts browsertest.Options) *queue {
	tab := browsertest.NewTab(t, opts)
	q := &queue{t: t, tab: tab, url: tab.File("overview.html", page(t, o))}
	q.open("")
	return q
}

// views is how many views the page's script has shown.
func (q *queue) views() int {
	return browsertest.Eval[int](q.tab, `+(document.documentElement.dataset.views || 0)`)
}

// act runs actions and waits until the page has shown the view they
// lead to.
func (q *queue) act(actions ...chromedp.Action[chromedp.Void]) {
	q.t.Helper()
	n := q.views()
	q.tab.Do(actions...)
	q.tab.WaitFor(`+(document.documentElement.dataset.views || 0) > ` + strconv.Itoa(n))
}

// open loads the page afresh at fragment, as a shared link does. (A query
// that changes every time makes it a new document, not a jump within the
// one loaded.)
func (q *queue) open(fragment string) {
	q.t.Helper()
	q.loads++
	q.tab.Do(chromedp.Navigate(q.url + "?load=" + strconv.Itoa(q.loads) + fragment))
	q.tab.WaitFor(`document.readyState === 'complete' && +(document.documentElement.dataset.views || 0) > 0`)
}

// pick chooses value in the select element id as the browser does when a
// user picks an option: it sets the value and fires change. (Typing the
// option's text would be keyboard type-ahead, which depends on how fast
// the keys come.)
func (q *queue) pick(id, value string) {
	q.t.Helper()
	q.act(chromedp.SetValue(chromedp.ID(id), value), chromedp.Evaluate[chromedp.Void](
		`document.getElementById('`+id+`').dispatchEvent(new Event('change', {bubbles: true}))`))
	if got := browsertest.Eval[string](q.tab, `document.getElementById('`+id+`').value`); got != value {
		q.t.Errorf("%s has no option %q", id, value)
	}
}

// rows lists the devices of the queue's rows shown, in order, and checks
// that the count says as many.
func (q *queue) rows() []string {
	q.t.Helper()
	got := browsertest.Eval[[]string](q.tab, `Array.from(document.querySelectorAll('#queue-table tbody tr'))
		.filter(r => !r.hidden && r.offsetParent !== null).map(r => r.dataset.device)`)
	all := browsertest.Eval[int](q.tab, `document.querySelectorAll('#queue-table tbody tr').length`)
	if c, want := browsertest.Eval[string](q.tab, `document.getElementById('count').value`), strconv.Itoa(len(got))+" of "+strconv.Itoa(all)+" devices shown"; c != want {
		q.t.Errorf("the count says %q; %d rows are shown", c, len(got))
	}
	return got
}

func (q *queue) hash() string { return browsertest.Eval[string](q.tab, `location.hash`) }

func (q *queue) expect(what string, want ...string) {
	q.t.Helper()
	if got := q.rows(); !slices.Equal(got, want) {
		q.t.Errorf("%s: rows %q, want %q", what, got, want)
	}
}

func TestQueueInBrowser(t *testing.T) {
	dir, _ := organisation(t)
	o := build(t, dir, Options{InReview: map[string]int{"reports/2026-02/d5.yaml": 12}, Issues: map[string]int{"e3": 41},
		RepoURL: "https://github.com/acme/device-reports"})
	q := openQueue(t, o, browsertest.Options{})
	q.expect("the queue", "d3", "d7", "d5", "d2", "d4", "d1", "d8")

	// Search by name, by id and by device.
	for _, tt := range []struct {
		q    string
		want []string
	}{{"kato", []string{"d3", "d4"}}, {"e2", []string{"d5", "d2"}}, {"D8", []string{"d8"}}} {
		q.act(chromedp.SendKeys(chromedp.ID("f-q"), tt.q))
		q.expect("search "+tt.q, tt.want...)
		if h := q.hash(); h != "#q="+tt.q {
			t.Errorf("search %q: the address says %q", tt.q, h)
		}
		q.act(chromedp.SendKeys(chromedp.ID("f-q"), strings.Repeat(kb.Backspace, len(tt.q))))
		q.expect("no search", "d3", "d7", "d5", "d2", "d4", "d1", "d8")
	}

	// Filters, alone and together.
	q.pick("f-status", "overdue")
	q.expect("overdue", "d7", "d5")
	q.pick("f-department", "Sales")
	q.expect("Sales overdue", "d5")
	q.pick("f-status", "follow-up")
	q.expect("Sales to follow up", "d5", "d2")
	if h := q.hash(); h != "#department=Sales&status=follow-up" {
		t.Errorf("the address says %q", h)
	}
	q.act(chromedp.Click(chromedp.ID("f-clear")))
	q.pick("f-supervisor", "e1")
	q.expect("supervised by e1", "d3", "d5", "d2", "d4")
	q.pick("f-supervisor", "")
	q.pick("f-rule", "device.screen_lock")
	q.expect("failing device.screen_lock", "d3")
	q.pick("f-rule", "")
	q.pick("f-exception", "with")
	q.expect("with an exception", "d4")
	q.pick("f-exception", "without")
	q.expect("without an exception", "d3", "d7", "d5", "d2", "d1", "d8")
	q.act(chromedp.Click(chromedp.ID("f-clear")))
	q.expect("cleared", "d3", "d7", "d5", "d2", "d4", "d1", "d8")

	// Sort by device both ways, then by days (the most first).
	sortBy := func(key, order string, want ...string) {
		t.Helper()
		q.act(chromedp.Click(chromedp.CSS(`#queue-table th[data-sort="` + key + `"] button`)))
		if got := browsertest.Eval[string](q.tab, `document.querySelector('#queue-table th[data-sort="`+key+`"]').getAttribute('aria-sort')`); got != order {
			t.Errorf("the %s column says it is sorted %q, want %q", key, got, order)
		}
		q.expect("sorted by "+key+" "+order, want...)
	}
	sortBy("device", "ascending", "d1", "d2", "d3", "d4", "d5", "d7", "d8")
	sortBy("device", "descending", "d8", "d7", "d5", "d4", "d3", "d2", "d1")
	sortBy("days", "descending", "d7", "d5", "d4", "d3", "d2", "d1", "d8")
	if h := q.hash(); h != "#sort=-days" {
		t.Errorf("the address says %q", h)
	}

	// A shared link opens the same view.
	q.open("#department=Sales&status=follow-up&sort=-days")
	q.expect("the shared view", "d5", "d2")
	if v := browsertest.Eval[string](q.tab, `document.getElementById('f-department').value + '/' + document.getElementById('f-status').value`); v != "Sales/follow-up" {
		t.Errorf("the shared view's filters read %q", v)
	}

	// Follow a drill-down: the queue gives way to the person's history.
	q.act(chromedp.Click(chromedp.CSS(`#queue-table a[href="#person-e2"]`)))
	if v := browsertest.Eval[string](q.tab, `[document.getElementById('person-e2'), document.getElementById('queue')].map(e => e.offsetParent !== null).join()`); v != "true,false" {
		t.Errorf("after the click, e2's drill-down and the queue are shown: %s", v)
	}
	marks := browsertest.Eval[[]string](q.tab, `Array.from(document.querySelectorAll('#device-d2 td.cell')).map(c => c.className.replace('cell ', ''))`)
	if want := []string{"passed", "passed", "passed", "passed", "late", "passed", "passed", "passed", "passed", "passed", "passed", "late"}; !slices.Equal(marks, want) {
		t.Errorf("d2's history %q, want %q", marks, want)
	}
	if n := browsertest.Eval[int](q.tab, `Array.from(document.querySelectorAll('#people article.person')).filter(a => a.offsetParent !== null).length`); n != 1 {
		t.Errorf("%d people shown, want only e2", n)
	}
	if who := browsertest.Eval[string](q.tab, `document.querySelector('#person-e2 .who').textContent`); !strings.Contains(who, "Sales · supervisor Erika Ito (e1)") {
		t.Errorf("e2's drill-down says %q", who)
	}
	// and back to the work queue as it was.
	q.act(chromedp.Click(chromedp.CSS(`#person-e2 a.back`)))
	q.expect("back in the queue", "d5", "d2")
	if h := q.hash(); h != "#department=Sales&status=follow-up&sort=-days" {
		t.Errorf("back in the queue, the address says %q", h)
	}

	// A device's drill-down, with its links to GitHub.
	q.open("#device-d3")
	if v := browsertest.Eval[string](q.tab, `[document.getElementById('device-d3'), document.getElementById('person-e3'), document.getElementById('queue')].map(e => e.offsetParent !== null).join()`); v != "true,true,false" {
		t.Errorf("#device-d3 shows d3, e3 and the queue: %s", v)
	}
	links := browsertest.Eval[[]string](q.tab, `Array.from(document.querySelectorAll('#device-d3 a')).map(a => a.textContent + ' ' + a.href)`)
	base := "https://github.com/acme/device-reports"
	for _, want := range []string{"passed " + base + "/blob/" + o.Commit + "/reports/2025-03/d3.yaml", "#211 " + base + "/pull/211",
		"issue " + base + "/issues/41", "report " + base + "/blob/" + o.Commit + "/reports/2026-02/d3.yaml"} {
		if !slices.Contains(links, want) {
			t.Errorf("d3's links lack %q: %q", want, links)
		}
	}
	if n := browsertest.Eval[int](q.tab, `document.querySelectorAll('#device-d3 td.cell.missing').length`); n != 1 {
		t.Errorf("d3 has %d missing months, want 1 (2025-11)", n)
	}
}

// TestQueueWithoutScript: with JavaScript off, as a printer sees it, every
// table is there and readable: all rows, every person's history, and no
// filters that nothing would run.
func TestQueueWithoutScript(t *testing.T) {
	dir, _ := organisation(t)
	o := build(t, dir, Options{})
	tab := browsertest.NewTab(t, browsertest.Options{NoScript: true})
	tab.Do(chromedp.Navigate(tab.File("overview.html", page(t, o))))
	tab.WaitFor(`document.readyState === 'complete'`)
	rows := browsertest.Eval[[]string](tab, `Array.from(document.querySelectorAll('#queue-table tbody tr')).filter(r => r.offsetParent !== null).map(r => r.dataset.device)`)
	if !slices.Equal(rows, []string{"d3", "d7", "d5", "d2", "d4", "d1", "d8"}) {
		t.Errorf("rows without the script: %q", rows)
	}
	if n := browsertest.Eval[int](tab, `Array.from(document.querySelectorAll('#people article.person')).filter(a => a.offsetParent !== null).length`); n != 5 {
		t.Errorf("%d people shown without the script, want 5", n)
	}
	if hidden := browsertest.Eval[bool](tab, `document.getElementById('filters').offsetParent === null`); !hidden {
		t.Error("the filters show without the script that runs them")
	}
	if n := browsertest.Eval[int](tab, `document.querySelectorAll('#trends-table svg polyline').length`); n != 4 {
		t.Errorf("%d trend lines, want one per department and one for all (4)", n)
	}
}

// TestPageSelfContained: the page loads nothing but itself, and record
// text cannot become markup.
func TestPageSelfContained(t *testing.T) {
	dir, _ := organisation(t)
	o := build(t, dir, Options{RepoURL: "https://github.com/acme/device-reports"})
	o.Devices[0].Name = `</script><script>alert(1)</script><b>x`
	html := string(page(t, o))
	if regexp.MustCompile(`(?i)<(link|img|iframe|object|embed)\b|\bsrc=|url\(|@import`).MatchString(html) {
		t.Error("the page refers to an external asset")
	}
	if strings.Contains(html, "<Test>") || strings.Contains(html, "<script>alert") || strings.Contains(html, "<b>x") {
		t.Error("record text got into the page as markup")
	}
	if n := strings.Count(html, "<script"); n != 2 {
		t.Errorf("%d script elements, want the data and the script", n)
	}
}

// TestScreenshots drives the page of a larger organisation through a
// contractor's day and takes the screenshots of docs/contractor.md: with
// -screenshots they are written to docs/img/.
func TestScreenshots(t *testing.T) {
	dir := largeOrganisation(t)
	// The first overdue device has a pull request open.
	var inReview map[string]int
	for _, d := range build(t, dir, Options{}).Devices {
		if d.Status == Overdue && inReview == nil {
			inReview = map[string]int{d.Path: 318}
		}
	}
	o := build(t, dir, Options{RepoURL: "https://github.com/example-corp/device-reports", InReview: inReview})
	out := t.TempDir()
	if *screenshots {
		out = filepath.Join("..", "..", "docs", "img")
	}
	q := openQueue(t, o, browsertest.Options{Width: 1280, Height: 900})
	var follow int
	for _, d := range o.Devices {
		if d.Status == Failing || d.Status == Overdue || d.Status == Late {
			follow++
		}
	}
	if n := len(q.rows()); n != len(o.Devices) || follow == 0 || follow == n {
		t.Fatalf("%d rows of %d devices, %d to follow up", n, len(o.Devices), follow)
	}
	q.tab.Screenshot("", filepath.Join(out, "overview-queue.png"))

	q.pick("f-status", "follow-up")
	q.pick("f-department", "Marketing")
	q.act(chromedp.Click(chromedp.CSS(`#queue-table th[data-sort="days"] button`)))
	var want []string
	for _, d := range o.Devices {
		if d.Department == "Marketing" && (d.Status == Failing || d.Status == Overdue || d.Status == Late) {
			want = append(want, d.Device)
		}
	}
	if got := q.rows(); len(got) != len(want) || len(got) == 0 {
		t.Errorf("Marketing to follow up: rows %q, want %q in some order", got, want)
	}
	q.tab.Screenshot("#queue", filepath.Join(out, "overview-filtered.png"))

	// The drill-down of the first Marketing row.
	first := browsertest.Eval[string](q.tab, `Array.from(document.querySelectorAll('#queue-table tbody tr')).find(r => !r.hidden).querySelector('a').getAttribute('href')`)
	q.act(chromedp.Click(chromedp.CSS(`#queue-table tr:not([hidden]) a[href="` + first + `"]`)))
	q.tab.Screenshot(first, filepath.Join(out, "overview-drilldown.png"))

	q.open("#trends")
	q.tab.Screenshot("#trends", filepath.Join(out, "overview-trends.png"))
}

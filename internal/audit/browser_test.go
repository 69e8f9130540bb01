package audit

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// browser returns the path of a headless-capable Chromium, or skips.
func browser(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium installed: apt-get install chromium to check the HTML page in a real browser")
	return ""
}

// renderDOM loads page in headless Chromium and returns the DOM after its
// scripts and layout ran, as --dump-dom prints it.
func renderDOM(t *testing.T, page []byte) string {
	t.Helper()
	bin := browser(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "page.html")
	if err := os.WriteFile(file, page, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--dump-dom", "file://"+file)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, errOut.String())
	}
	return out.String()
}

// matches returns how many times re matches s.
func matches(s, re string) int { return len(regexp.MustCompile(re).FindAllStringIndex(s, -1)) }

func TestHTMLInBrowser(t *testing.T) {
	a := runAudit(t, scenario(t).dir, Options{From: "2026-01", To: "2026-02"})
	var page bytes.Buffer
	if err := Write(&page, "html", a); err != nil {
		t.Fatal(err)
	}
	dom := renderDOM(t, page.Bytes())
	for _, want := range []string{
		"<title>Audit working paper: Audit Test Org, 2026-01 to 2026-02</title>",
		`<g class="bar" data-label="2026-01">`, `<g class="bar" data-label="2026-02">`,
		`data-segment="missing" data-value="1"`,
		"<p>18 errors, 0 warnings.</p>",
		`<td class="error">error</td><td>audit.self_approval</td>`,
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
	table := regexp.MustCompile(`(?s)<table id="evidence-table">.*?</table>`).FindString(dom)
	if n := matches(table, `<tr><td class="nw">2026-0`); n != len(a.Evidence) {
		t.Errorf("%d evidence rows, want %d", n, len(a.Evidence))
	}
	if matches(dom, `(src|href)="(https?:)?//`) > 0 {
		t.Error("the page is not self-contained")
	}
}

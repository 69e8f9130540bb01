package overview

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

// count returns how many times re matches s.
func count(s, re string) int { return len(regexp.MustCompile(re).FindAllStringIndex(s, -1)) }

func TestHTMLInBrowser(t *testing.T) {
	o := build(t, february(t), map[string]int{"reports/2026-02/d5.yaml": 12})
	var page bytes.Buffer
	if err := Write(&page, "html", o); err != nil {
		t.Fatal(err)
	}
	dom := renderDOM(t, page.Bytes())
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

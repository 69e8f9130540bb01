// Package browsertest loads HTML pages in a real headless Chromium, for
// tests of the pages posture writes. A test that needs the browser is
// skipped, with a message saying how to install it, where it is absent. It
// is for tests only: production code must not import it.
package browsertest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Chromium returns the path of a headless-capable Chromium, or skips t.
func Chromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium installed: apt-get install chromium to check the HTML page in a real browser")
	return ""
}

// RenderDOM loads page in headless Chromium and returns the DOM after its
// scripts and layout ran, as --dump-dom prints it. It skips t where there
// is no Chromium.
func RenderDOM(t testing.TB, page []byte) string {
	t.Helper()
	bin := Chromium(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "page.html")
	if err := os.WriteFile(file, page, 0o644); err != nil {
		t.Fatal(err)
	}
	// Bounded by the test's context, not a timer, so that a busy machine
	// only makes the browser slower; a hang is go test -timeout's to end.
	cmd := exec.CommandContext(t.Context(), bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--dump-dom", "file://"+file)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, errOut.String())
	}
	return out.String()
}

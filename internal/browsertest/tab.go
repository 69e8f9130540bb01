package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// Tab is a tab of a headless Chromium driven over the DevTools protocol
// with chromedp, for one test.
type Tab struct {
	// Ctx runs chromedp actions in the tab. It ends with the test
	// (t.Context()): nothing here waits on a clock, so a busy machine only
	// makes the browser slower, and a hang is go test -timeout's to end.
	Ctx context.Context
	t   testing.TB
	dir string

	mu     sync.Mutex
	errors []string      // uncaught exceptions and console errors of the page
	failed chan struct{} // closed at the first of them
}

// Options of a tab.
type Options struct {
	// Width and Height of the window, in CSS pixels (default 1280 by 900).
	Width, Height int
	// NoScript turns JavaScript off, to see a page as a reader without it,
	// or a printer, does.
	NoScript bool
}

// NewTab starts Chromium for t and opens a tab in it, or skips t, with a
// message saying how to install it, where there is none. The browser is
// closed when the test ends. The test fails if the page throws an
// uncaught exception or logs an error to the console.
func NewTab(t testing.TB, opts Options) *Tab {
	t.Helper()
	bin := Chromium(t)
	if opts.Width == 0 {
		opts.Width, opts.Height = 1280, 900
	}
	dir := t.TempDir()
	alloc, cancelAlloc := chromedp.NewExecAllocator(t.Context(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.WindowSize(opts.Width, opts.Height), chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true))...)
	ctx, cancel := chromedp.NewContext(alloc)
	tab := &Tab{Ctx: ctx, t: t, dir: dir, failed: make(chan struct{})}
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
		tab.mu.Lock()
		defer tab.mu.Unlock()
		for _, e := range tab.errors {
			t.Errorf("the page logged: %s", e)
		}
	})
	if err := chromedp.Do(ctx); err != nil { // start the browser
		t.Fatalf("start chromium: %v", err)
	}
	if opts.NoScript {
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatalf("turn JavaScript off: %v", err)
		}
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == "error" {
				tab.mu.Lock()
				if len(tab.errors) == 0 {
					close(tab.failed)
				}
				tab.errors = append(tab.errors, m.String())
				tab.mu.Unlock()
			}
		}
	}()
	return tab
}

// File writes page into the test's folder as name and returns its
// file:// address.
func (tab *Tab) File(name string, page []byte) string {
	tab.t.Helper()
	p := filepath.Join(tab.dir, name)
	if err := os.WriteFile(p, page, 0o644); err != nil {
		tab.t.Fatal(err)
	}
	return "file://" + filepath.ToSlash(p)
}

// Do runs actions in the tab, failing the test on the first error.
func (tab *Tab) Do(actions ...chromedp.Action[chromedp.Void]) {
	tab.t.Helper()
	if err := chromedp.Do(tab.Ctx, actions...); err != nil {
		tab.t.Fatalf("browser: %v", err)
	}
}

// Eval evaluates a JavaScript expression in the page and decodes its
// value into T, failing the test on an error.
func Eval[T any](tab *Tab, expression string) T {
	tab.t.Helper()
	v, err := chromedp.Run(tab.Ctx, chromedp.Evaluate[T](expression))
	if err != nil {
		tab.t.Fatalf("evaluate %s: %v", expression, err)
	}
	return v
}

// WaitFor waits until the JavaScript expression is truthy in the page,
// checking at every frame the page draws. It waits as long as the test
// runs, unless the page throws an exception or logs an error first: then
// the test fails at once with it.
func (tab *Tab) WaitFor(expression string) {
	tab.t.Helper()
	ctx, cancel := context.WithCancel(tab.Ctx)
	defer cancel()
	go func() {
		select {
		case <-tab.failed:
			cancel()
		case <-ctx.Done():
		}
	}()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expression, chromedp.WithPollingTimeout(0))); err != nil {
		select {
		case <-tab.failed:
			tab.mu.Lock()
			defer tab.mu.Unlock()
			tab.t.Fatalf("wait for %s: the page logged %s", expression, strings.Join(tab.errors, "; "))
		default:
		}
		tab.t.Fatalf("wait for %s: %v", expression, err)
	}
}

// Screenshot takes a PNG of the element that the CSS selector finds, or
// of the window for "", and writes it to path, making its folder.
func (tab *Tab) Screenshot(selector, path string) {
	tab.t.Helper()
	shot := chromedp.CaptureScreenshot()
	if selector != "" {
		shot = chromedp.Screenshot(chromedp.CSS(selector))
	}
	png, err := chromedp.Run(tab.Ctx, shot)
	if err != nil {
		tab.t.Fatalf("screenshot of %s: %v", selector, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		tab.t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tab.t.Fatal(err)
	}
	if !strings.HasPrefix(string(png), "\x89PNG") {
		tab.t.Errorf("the screenshot %s is not a PNG", path)
	}
}

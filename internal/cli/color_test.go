package cli

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckColor(t *testing.T) {
	terminal := func(f *Factory) { f.IsTerminal = func(io.Writer) bool { return true } }
	noColor := func(f *Factory) {
		terminal(f)
		f.Getenv = func(k string) string {
			if k == "NO_COLOR" {
				return "1"
			}
			return ""
		}
	}
	bad := []string{"check", "-C", "../../testdata/bad", "reports/2026-11/os-win10.yaml"}
	tests := []struct {
		name string
		tune func(*Factory)
		args []string
		ansi bool
	}{
		{name: "always", args: []string{"--color", "always"}, ansi: true},
		{name: "always, even with NO_COLOR", tune: noColor, args: []string{"--color=always"}, ansi: true},
		{name: "never", tune: terminal, args: []string{"--color", "never"}},
		{name: "auto on a terminal", tune: terminal, ansi: true},
		{name: "auto on a terminal with NO_COLOR", tune: noColor},
		{name: "auto into a pipe or file", args: []string{"--color", "auto"}},
		{name: "only the text format has colour", tune: terminal, args: []string{"--color", "always", "-f", "json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runF(t, tt.tune, append(bad, tt.args...)...)
			if code != ExitFindings {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if got := strings.Contains(stdout, "\x1b["); got != tt.ansi {
				t.Errorf("ANSI colour %v, want %v:\n%q", got, tt.ansi, stdout)
			}
			if tt.ansi && !strings.Contains(stdout, "\x1b[1mreports/2026-11/os-win10.yaml:4:13:\x1b[0m") {
				t.Errorf("the place is not bold:\n%q", stdout)
			}
		})
	}
	code, _, stderr := runF(t, nil, "check", "--color", "sometimes")
	if code != ExitUsage || !strings.Contains(stderr, "use auto, always or never") {
		t.Errorf("--color sometimes: exit %d, %s", code, stderr)
	}
}

func TestFileIsTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for name, out := range map[string]io.Writer{"file": f, "pipe": w, "buffer": &strings.Builder{}} {
		if fileIsTerminal(out) {
			t.Errorf("a %s is taken for a terminal", name)
		}
	}
}

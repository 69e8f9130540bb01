package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckCache checks a tree with --cache twice, with --no-cache and with
// a cache folder that cannot be made, and expects the same report each
// time: the cache only ever saves time.
func TestCheckCache(t *testing.T) {
	cacheDir := filepath.Join(t.TempDir(), "cache")
	args := []string{"check", "-C", "../../testdata/bad", "-f", "json", "--at", "2026-11-20"}
	code, want, stderr := run(t, nil, append(args, "--no-cache")...)
	if code != ExitFindings || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	blocked := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(blocked, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{name: "cold", args: []string{"--cache", cacheDir}},
		{name: "warm", args: []string{"--cache", cacheDir}},
		{name: "a cache that cannot be made", args: []string{"--cache", filepath.Join(blocked, "cache")}, stderr: "working without the cache"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, got, stderr := run(t, nil, append(args, tt.args...)...)
			if code != ExitFindings || got != want {
				t.Errorf("exit %d; the report differs from one without the cache:\n%s", code, got)
			}
			if tt.stderr == "" && stderr != "" || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr %q, want %q", stderr, tt.stderr)
			}
		})
	}
	if segs, _ := filepath.Glob(filepath.Join(cacheDir, "*.seg")); len(segs) != 1 {
		t.Errorf("%d segments after a cold and a warm run, want 1", len(segs))
	}
	if code, _, stderr := run(t, nil, "check", "--cache", cacheDir, "--no-cache"); code != ExitUsage || !strings.Contains(stderr, "none of the others can be") {
		t.Errorf("--cache with --no-cache: exit %d, %q", code, stderr)
	}
}

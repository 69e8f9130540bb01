package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// completions asks posture's hidden __complete command, as a shell does,
// and returns the values it offers (without descriptions and directive).
func completions(t *testing.T, words ...string) []string {
	t.Helper()
	values, _ := completeAt(t, nil, words...)
	return values
}

// completeAt is completions with a factory tune may change, returning the
// directive line too.
func completeAt(t *testing.T, tune func(*Factory), words ...string) (values []string, directive string) {
	t.Helper()
	code, stdout, stderr := runF(t, tune, append([]string{"__complete"}, words...)...)
	if code != ExitOK {
		t.Fatalf("__complete %v: exit %d: %s", words, code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	for _, l := range lines[:len(lines)-1] {
		v, _, _ := strings.Cut(l, "\t")
		values = append(values, v)
	}
	return values, lines[len(lines)-1]
}

func TestCompletion(t *testing.T) {
	repo := t.TempDir()
	for _, p := range []string{"devices/d-b-phone.yaml", "devices/d-a-laptop.yaml", "devices/notes.txt", "devices/Bad Name.yaml"} {
		if err := os.MkdirAll(filepath.Join(repo, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(repo, p), []byte("id: x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(repo, "posture.yaml"), []byte("organization: Acme\ntimezone: Pacific/Kiritimati\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// 2026-11-30 12:00 UTC is 2026-12-01 02:00 on Kiritimati (UTC+14).
	lateNovember := func(f *Factory) { f.Now = func() time.Time { return time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC) } }
	tests := []struct {
		name  string
		tune  func(*Factory)
		words []string
		want  []string
	}{
		{name: "check formats", words: []string{"check", "--format", ""}, want: []string{"text", "json", "github", "sarif"}},
		{name: "check -f with a prefix", words: []string{"check", "-f", "s"}, want: []string{"sarif"}},
		{name: "overview formats", words: []string{"overview", "-f", ""}, want: []string{"md", "html", "csv", "json"}},
		{name: "audit formats", words: []string{"audit", "-f", ""}, want: []string{"md", "html", "csv", "json"}},
		{name: "subject formats", words: []string{"subject", "-f", ""}, want: []string{"login", "env"}},
		{name: "rules formats", words: []string{"rules", "-f", ""}, want: []string{"text", "json"}},
		{name: "colours", words: []string{"check", "--color", ""}, want: []string{"auto", "always", "never"}},
		{name: "period: this month and the last, default timezone", words: []string{"overview", "--period", ""}, want: []string{"2026-11", "2026-10"}},
		{name: "period in posture.yaml's timezone", tune: lateNovember, words: []string{"report", "new", "-C", repo, "--period", ""}, want: []string{"2026-12", "2026-11"}},
		{name: "period with a prefix", words: []string{"open-issues", "--period", "2026-10"}, want: []string{"2026-10"}},
		{name: "remind's period", words: []string{"remind", "--period", ""}, want: []string{"2026-11", "2026-10"}},
		{name: "audit's range", words: []string{"audit", "--from", "2026-10", "--to", ""}, want: []string{"2026-11", "2026-10"}},
		{name: "devices of --dir", words: []string{"report", "new", "-C", repo, "--device", ""}, want: []string{"d-a-laptop", "d-b-phone"}},
		{name: "devices with a prefix", words: []string{"report", "new", "-C", repo, "--device", "d-b"}, want: []string{"d-b-phone"}},
		{name: "no devices folder", words: []string{"report", "new", "-C", t.TempDir(), "--device", ""}, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, directive := completeAt(t, tt.tune, tt.words...)
			if !slices.Equal(got, tt.want) {
				t.Errorf("completes %q; want %q", got, tt.want)
			}
			// The values alone: the shell offers no file names with them.
			if directive != ":4" && directive != ":36" {
				t.Errorf("directive %s; want no file completion", directive)
			}
		})
	}
}

func TestCompletionCommand(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		t.Run(shell, func(t *testing.T) {
			code, stdout, stderr := runF(t, nil, "completion", shell)
			if code != ExitOK || !strings.Contains(stdout, "posture") || !strings.Contains(stdout, "__complete") {
				t.Errorf("exit %d, %.200s %s", code, stdout, stderr)
			}
		})
	}
	code, stdout, _ := runF(t, nil, "--help")
	if code != ExitOK || !strings.Contains(stdout, "\n  completion ") {
		t.Errorf("posture --help does not list completion:\n%s", stdout)
	}
}

package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func run(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	streams := IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	f := &Factory{IO: streams, Now: func() time.Time { return time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC) },
		Getenv: func(k string) string { return env[k] }}
	code = Execute(NewCmdRoot(f), args, streams)
	return code, out.String(), errOut.String()
}

func TestCheckExitCodes(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{name: "clean", args: []string{"check", "-C", "../../testdata/ok"}, code: ExitOK, stdout: "checked 13 files: no problems"},
		{name: "findings", args: []string{"check", "-C", "../../testdata/bad"}, code: ExitFindings, stdout: "[scan.full_age]"},
		{name: "one file", args: []string{"check", "-C", "../../testdata/bad", "reports/2026-11/future.yaml"}, code: ExitFindings,
			stdout: "reports/2026-11/future.yaml:8:18: last_quick_scan \"2026-12-01\" is after the report date 2026-11-10"},
		{name: "a clean file among bad ones", args: []string{"check", "-C", "../../testdata/bad", "people/e1.yaml"}, code: ExitOK, stdout: "checked 1 file: no problems"},
		{name: "missing folder", args: []string{"check", "-C", "../../testdata/nope"}, code: ExitUsage, stderr: "is not a folder"},
		{name: "not a posture repository", args: []string{"check", "-C", "../../schemas"}, code: ExitUsage, stderr: "holds no posture records"},
		{name: "missing path", args: []string{"check", "-C", "../../testdata/ok", "reports/1999-01"}, code: ExitUsage, stderr: "no such file or folder"},
		{name: "an absolute path inside --dir", args: []string{"check", "-C", "../../testdata/bad", abs(t, "../../testdata/bad/people/e1.yaml")}, code: ExitOK, stdout: "checked 1 file: no problems"},
		{name: "a relative path leaving --dir", args: []string{"check", "-C", "../../testdata/ok", "../bad/people/e1.yaml"}, code: ExitUsage, stderr: "outside the repository"},
		{name: "path outside", args: []string{"check", "-C", "../../testdata/ok", "/etc/passwd"}, code: ExitUsage, stderr: "outside the repository"},
		{name: "unknown format", args: []string{"check", "-f", "xml"}, code: ExitUsage, stderr: `unknown output format "xml"`},
		{name: "unknown flag", args: []string{"check", "--nope"}, code: ExitUsage, stderr: "unknown flag: --nope"},
		{name: "head without base", args: []string{"check", "--head", "HEAD"}, code: ExitUsage, stderr: "--head and --author need --base"},
		{name: "bad --at", args: []string{"check", "--at", "yesterday"}, code: ExitUsage, stderr: `--at "yesterday" is not a date`},
		{name: "base that does not exist", args: []string{"check", "-C", "../..", "--base", "no-such-branch"}, code: ExitUsage, stderr: `no commit "no-such-branch"`},
		{name: "unknown command", args: []string{"chek"}, code: ExitUsage, stderr: "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, nil, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdout, stdout)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, stderr)
			}
		})
	}
}

func TestCheckFormats(t *testing.T) {
	code, stdout, _ := run(t, nil, "check", "-C", "../../testdata/bad", "-f", "json", "../../testdata/bad/reports/2026-11/os-win10.yaml")
	if code != ExitFindings {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		Checked  int `json:"checked"`
		Findings []struct {
			File   string `json:"file"`
			Line   int    `json:"line"`
			Column int    `json:"column"`
			Rule   string `json:"rule"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("json output: %v\n%s", err, stdout)
	}
	if doc.Checked != 1 || len(doc.Findings) != 1 || doc.Findings[0].Rule != "os.supported" || doc.Findings[0].Line != 4 {
		t.Errorf("json output: %+v", doc)
	}

	summary := filepath.Join(t.TempDir(), "summary.md")
	code, stdout, _ = run(t, map[string]string{"GITHUB_STEP_SUMMARY": summary},
		"check", "-C", "../../testdata/bad", "-f", "github", "reports/2026-11/os-win10.yaml")
	if code != ExitFindings || !strings.Contains(stdout, "::error file=reports/2026-11/os-win10.yaml,line=4,col=13,") {
		t.Errorf("github output (exit %d):\n%s", code, stdout)
	}
	md, err := os.ReadFile(summary)
	if err != nil || !strings.Contains(string(md), "os.supported") {
		t.Errorf("step summary: %v\n%s", err, md)
	}

	code, stdout, _ = run(t, nil, "check", "-C", "../../testdata/ok", "-f", "sarif")
	if code != ExitOK || !strings.Contains(stdout, `"version": "2.1.0"`) || !strings.Contains(stdout, `"id": "scan.full_age"`) {
		t.Errorf("sarif output (exit %d): %.300s", code, stdout)
	}
}

func TestRules(t *testing.T) {
	code, stdout, _ := run(t, nil, "rules", "-C", "../../testdata/ok")
	if code != ExitOK || !strings.Contains(stdout, "scan.full_age") || !regexp.MustCompile(`\nscan\.signatures_fresh +warn `).MatchString(stdout) {
		t.Errorf("rules (exit %d):\n%s", code, stdout)
	}
	// A folder without policies lists the built-in ones.
	code, stdout, _ = run(t, nil, "rules", "-C", t.TempDir())
	if code != ExitOK || !strings.Contains(stdout, "mac.private") {
		t.Errorf("built-in rules (exit %d):\n%s", code, stdout)
	}
}

func abs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

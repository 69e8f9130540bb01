package cli

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posture-dev/posture"
)

// builtInRepo writes the built-in policies, as an organisation's own, into a
// temporary repository with files added, and returns its root.
func builtInRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	write := func(name string, data []byte) {
		dst := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	err := fs.WalkDir(posture.Defaults, "policies", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(posture.Defaults, p)
		write(p, data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, src := range files {
		write(name, []byte(src))
	}
	return root
}

const localRuleTest = `package posture.rules.local_x_test

test_passes if true

test_fails if {
	print("looked at", 1)
	1 == 2
}
`

func TestTestCommand(t *testing.T) {
	empty := t.TempDir()
	tests := []struct {
		name   string
		args   func() []string
		code   int
		stdout []string // substrings
		stderr string
	}{
		{
			name: "the organisation's policies pass",
			args: func() []string { return []string{"test", builtInRepo(t, nil)} },
			code: ExitOK, stdout: []string{"tests passed"},
		},
		{
			name: "a failing local test",
			args: func() []string {
				return []string{"test", builtInRepo(t, map[string]string{"policies/local/x_test.rego": localRuleTest})}
			},
			code: ExitFindings,
			stdout: []string{
				"policies/local/x_test.rego:5: data.posture.rules.local_x_test.test_fails failed\n    looked at 1\n",
				" tests failed\n",
			},
		},
		{
			name: "verbose lists passing tests",
			args: func() []string {
				return []string{"test", "-v", builtInRepo(t, map[string]string{"policies/local/x_test.rego": localRuleTest})}
			},
			code:   ExitFindings,
			stdout: []string{"policies/local/x_test.rego:3: data.posture.rules.local_x_test.test_passes passed\n"},
		},
		{
			name: "a rule that does not parse",
			args: func() []string {
				return []string{"test", builtInRepo(t, map[string]string{"policies/local/x.rego": "package posture.rules.local_x\n\nviolation contains v if {\n"})}
			},
			code:   ExitFindings,
			stdout: []string{"policies/local/x.rego:4: rego_parse_error", "the policies do not load, so no test ran: fix the 1 problem above"},
		},
		{
			name:   "no policies of its own: the built-in ones",
			args:   func() []string { return []string{"test", empty} },
			code:   ExitOK,
			stdout: []string{"tests passed"},
			stderr: "has no policies of its own: testing the built-in policies",
		},
		{
			name: "local rules that posture check would ignore",
			args: func() []string {
				dir := t.TempDir()
				if err := os.MkdirAll(filepath.Join(dir, "policies", "local"), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "policies", "local", "x.rego"), []byte("package posture.rules.local_x\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				return []string{"test", dir}
			},
			code:   ExitFindings,
			stdout: []string{"policies/local: posture check ignores the local rules: without policies/config/data.yaml"},
		},
		{name: "not a folder", args: func() []string { return []string{"test", filepath.Join(empty, "nope")} }, code: ExitUsage, stderr: "is not a folder"},
		{name: "two folders", args: func() []string { return []string{"test", empty, empty} }, code: ExitUsage, stderr: "accepts at most 1 arg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, nil, tt.args()...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout)
				}
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, stderr)
			}
		})
	}
}

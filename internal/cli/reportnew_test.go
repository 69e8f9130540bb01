package cli

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posture-dev/posture"
)

// cycleClone copies a copy of the demo organisation (testdata/demo) with the
// built-in policies and schemas to a temporary folder, as an employee's
// clone (no Git).
func cycleClone(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, src := range []struct {
		tree  fs.FS
		roots []string
	}{
		{posture.Defaults, []string{"policies", "schemas"}},
		{os.DirFS("../../testdata/demo"), []string{"posture.yaml", "people", "devices", "policies"}},
	} {
		for _, root := range src.roots {
			err := fs.WalkDir(src.tree, root, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				data, err := fs.ReadFile(src.tree, p)
				if err != nil {
					return err
				}
				os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
				return os.WriteFile(filepath.Join(dir, p), data, 0o644)
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

func TestReportNew(t *testing.T) {
	dir := cycleClone(t)
	code, stdout, stderr := run(t, nil, "report", "new", "--device", "d-e1004-laptop", "-C", dir)
	if code != ExitOK || !strings.Contains(stdout, "wrote reports/2026-11/d-e1004-laptop.yaml") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	path := filepath.Join(dir, "reports", "2026-11", "d-e1004-laptop.yaml")
	data, _ := os.ReadFile(path)
	text := string(data)
	for _, s := range []string{"period: \"2026-11\"\n", "device: d-e1004-laptop\n", "reporter: e1004\n", "due 2026-11-10",
		"os_version: \"10.0.26200\" # TODO", "last_quick_scan: # TODO", "(registered: 8c:17:59:d2:40:7a, 2e:b8:61:0f:93:4c)"} {
		if !strings.Contains(text, s) {
			t.Errorf("report lacks %q:\n%s", s, text)
		}
	}
	// Left as written, the check points at every field to complete.
	code, stdout, _ = run(t, nil, "check", "-C", dir, path)
	if code != ExitFindings || strings.Count(stdout, "d-e1004-laptop.yaml:") < 11 {
		t.Errorf("check of the skeleton: exit %d\n%s", code, stdout)
	}
	// Completed, it passes (outside Git, reports are dated on their due day).
	done := map[string]string{"os_build": `"26200.7171"`, "antivirus": "Microsoft Defender", "real_time_protection": "true",
		"signatures_updated": "2026-11-09", "last_quick_scan": "2026-11-09", "last_full_scan": "2026-11-05", "threats_found": "0",
		"threats_resolved": "0", "disk_encryption": "true", "screen_lock_minutes": "5", "jailbroken": "false", "wifi_mac": `"8c:17:59:d2:40:7a"`}
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if k, _, ok := strings.Cut(l, ":"); ok && done[k] != "" {
			l = k + ": " + done[k]
		}
		lines = append(lines, l)
	}
	os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644)
	if code, stdout, _ = run(t, nil, "check", "-C", dir, path); code != ExitOK {
		t.Errorf("check of the completed report: exit %d\n%s", code, stdout)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--device", "d-e1004-laptop"}, "exists; edit it, or pass --force"},
		{[]string{"--device", "d-nope"}, "no device d-nope"},
		{[]string{"--device", "d-e1009-old-laptop"}, "was retired on 2026-08-21, before 2026-11"},
		{[]string{"--device", "Laptop"}, "name the device with --device"},
		{[]string{"--device", "d-e1004-tablet", "--period", "11/2026"}, "is not a month"},
	} {
		args := append([]string{"report", "new", "-C", dir}, tc.args...)
		if code, _, stderr := run(t, nil, args...); code != ExitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d\n%s", tc.args, code, stderr)
		}
	}
	if code, _, _ := run(t, nil, "report", "new", "-C", dir, "--device", "d-e1004-laptop", "--force"); code != ExitOK {
		t.Errorf("--force: exit %d", code)
	}
}

func TestReportSkeletonByPlatform(t *testing.T) {
	dir := cycleClone(t)
	for dev, want := range map[string][]string{
		"d-e1004-tablet": {"antivirus: not_applicable\n", "wifi_mac: \"b2:4d:e7:38:a1:60\" # TODO: check it"},
		"d-e1005-phone":  {"security_patch: # TODO", "antivirus: # TODO"},
	} {
		if code, _, stderr := run(t, nil, "report", "new", "-C", dir, "--device", dev, "--period", "2026-12"); code != ExitOK {
			t.Fatalf("%s: %s", dev, stderr)
		}
		data, _ := os.ReadFile(filepath.Join(dir, "reports", "2026-12", dev+".yaml"))
		for _, s := range want {
			if !strings.Contains(string(data), s) {
				t.Errorf("%s lacks %q:\n%s", dev, s, data)
			}
		}
		if dev == "d-e1004-tablet" && strings.Contains(string(data), "last_full_scan") {
			t.Errorf("an iPad report asks for scans:\n%s", data)
		}
	}
}

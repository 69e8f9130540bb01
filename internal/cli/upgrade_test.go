package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readFile(t *testing.T, dir, p string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func writeFile(t *testing.T, dir, p, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(p)), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// tree is every file under dir but .git, for comparing.
func tree(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			if err == nil && d.Name() == ".git" {
				return filepath.SkipDir
			}
			return err
		}
		data, err := os.ReadFile(p)
		b.WriteString(p + "\n" + string(data))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestUpgrade: what posture upgrade does to a repository posture init
// made, step by step as an IT admin would meet it.
func TestUpgrade(t *testing.T) {
	dir := initRepo(t)
	const rule = "policies/scan.rego"
	upgrade := func(args ...string) (int, string, string) {
		return run(t, nil, append(append([]string{"upgrade"}, args...), "--action-ref", "v1.2.3", dir)...)
	}

	// Fresh from init: nothing to do.
	before := tree(t, dir)
	if code, stdout, stderr := upgrade("--dry-run"); code != ExitOK || !strings.Contains(stdout, "nothing to do") {
		t.Fatalf("fresh: exit %d\n%s%s", code, stdout, stderr)
	}

	// An edited policy is refused, by name, and nothing is written.
	writeFile(t, dir, rule, readFile(t, dir, rule)+"\n# our tweak\n")
	edited := tree(t, dir)
	for _, args := range [][]string{{"--dry-run"}, nil} {
		code, stdout, stderr := upgrade(args...)
		if code != ExitFindings || !strings.Contains(stderr, "upgrade refused, nothing written: "+rule+" changed") ||
			!strings.Contains(stdout, "-# our tweak\n") || !strings.Contains(stdout, "--force replaces it") {
			t.Errorf("upgrade %v of an edited rule: exit %d\n%s%s", args, code, stdout, stderr)
		}
		if tree(t, dir) != edited {
			t.Fatalf("upgrade %v wrote something", args)
		}
	}

	// --force replaces it; then there is nothing to do.
	if code, stdout, stderr := upgrade("--force"); code != ExitOK || !strings.Contains(stdout, "wrote 1 file and posture.lock") {
		t.Fatalf("--force: exit %d\n%s%s", code, stdout, stderr)
	}
	if tree(t, dir) != before {
		t.Error("--force did not restore posture's file")
	}

	// The organisation's data values stay; a key it lacks (as from an
	// older posture) arrives with its default.
	data := readFile(t, dir, "policies/config/data.yaml")
	ours := strings.Replace(data, "full_scan_max_days: 35", "full_scan_max_days: 14", 1)
	ours = strings.Replace(ours, "  signatures_warn_days: 3\n", "", 1)
	if ours == data || strings.Contains(ours, "signatures_warn_days: 3") {
		t.Fatal("posture's data changed shape: adjust the test")
	}
	writeFile(t, dir, "policies/config/data.yaml", ours)
	dry := tree(t, dir)
	code, stdout, stderr := upgrade("--dry-run")
	if code != ExitOK || !strings.Contains(stdout, "merge   policies/config/data.yaml: new keys with their defaults: thresholds.signatures_warn_days") ||
		!strings.Contains(stdout, "+  signatures_warn_days: 3\n") || !strings.Contains(stdout, "dry run: nothing written") {
		t.Errorf("a missing data key: exit %d\n%s%s", code, stdout, stderr)
	}
	if tree(t, dir) != dry {
		t.Fatal("--dry-run wrote something")
	}
	if code, stdout, stderr := upgrade(); code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	got := readFile(t, dir, "policies/config/data.yaml")
	if !strings.Contains(got, "full_scan_max_days: 14\n") || !strings.Contains(got, "signatures_warn_days: 3\n") {
		t.Errorf("after the upgrade, data.yaml:\n%s", got)
	}
	if code, _, _ := run(t, nil, "test", dir); code != ExitOK {
		t.Error("posture test fails after the upgrade")
	}
	if code, stdout, _ := upgrade(); code != ExitOK || !strings.Contains(stdout, "nothing to do") {
		t.Errorf("a second run: exit %d\n%s", code, stdout)
	}
}

// TestUpgradeTimezone: posture.yaml is the one source of the workflows'
// timezone. Changing it there makes posture check report the workflows,
// and posture upgrade rewrites them.
func TestUpgradeTimezone(t *testing.T) {
	dir := initRepo(t)
	writeFile(t, dir, "posture.yaml", strings.Replace(readFile(t, dir, "posture.yaml"), "timezone: Asia/Tokyo", "timezone: Europe/Berlin", 1))
	code, stdout, _ := run(t, nil, "check", "-C", dir)
	if code != ExitFindings || !strings.Contains(stdout, `.github/workflows/monthly.yml:15:17: the schedule's timezone "Asia/Tokyo" is not posture.yaml's timezone "Europe/Berlin"`) ||
		!strings.Contains(stdout, ".github/workflows/remind.yml:") {
		t.Errorf("check after the change: exit %d\n%s", code, stdout)
	}
	code, stdout, stderr := run(t, nil, "upgrade", "--action-ref", "v1.2.3", dir)
	if code != ExitOK || !strings.Contains(stdout, "+      timezone: Europe/Berlin # keep equal to timezone in posture.yaml\n") {
		t.Errorf("upgrade: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, _ := run(t, nil, "check", "-C", dir); code != ExitOK {
		t.Errorf("check after the upgrade: exit %d\n%s", code, stdout)
	}
}

// TestUpgradeDueDayOutOfRange: with a report_due_day the calendar cannot
// use, posture upgrade writes nothing: the forms name the due day.
func TestUpgradeDueDayOutOfRange(t *testing.T) {
	dir := initRepo(t)
	yaml := readFile(t, dir, "posture.yaml")
	if !strings.Contains(yaml, "report_due_day: 10") {
		t.Fatalf("posture.yaml has no report_due_day: 10:\n%s", yaml)
	}
	writeFile(t, dir, "posture.yaml", strings.Replace(yaml, "report_due_day: 10", "report_due_day: 31", 1))
	before := readFile(t, dir, ".github/ISSUE_TEMPLATE/monthly-report.yml")
	code, _, stderr := run(t, nil, "upgrade", "--action-ref", "v1.2.3", dir)
	if code != ExitUsage || !strings.Contains(stderr, "report_due_day 31 is not a day from 1 to 28") {
		t.Errorf("upgrade: exit %d\n%s", code, stderr)
	}
	if readFile(t, dir, ".github/ISSUE_TEMPLATE/monthly-report.yml") != before {
		t.Error("the form changed")
	}
}

// TestUpgradeFromOlderRelease: a repository made by posture v1.2.2 is
// brought to v1.2.3: every file that names its version changes, the
// workflows pin the new tag, and the lock says so.
func TestUpgradeFromOlderRelease(t *testing.T) {
	var out, errOut bytes.Buffer
	dir := filepath.Join(t.TempDir(), "acme")
	opts := newInitOptions(&out, &errOut, dir)
	opts.Build = Build{Version: "v1.2.2"}
	if err := runInit(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	up := &UpgradeOptions{IO: IOStreams{Out: &out, ErrOut: &errOut}, Build: Build{Version: "v1.2.3"}, Dir: dir, DryRun: true}
	if err := runUpgrade(up); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	for _, want := range []string{
		"posture upgrade from posture v1.2.2 to v1.2.3, whose workflows call posture-dev/posture@v1.2.3\n",
		"  update  .github/workflows/monthly.yml: from posture v1.2.2\n",
		"-        uses: posture-dev/posture@v1.2.2 # v1.2.2\n+        uses: posture-dev/posture@v1.2.3 # v1.2.3\n",
		"-# posture v1.2.2: one of posture's rules, kept current by posture upgrade\n+# posture v1.2.3: one of posture's rules, kept current by posture upgrade\n",
		"dry run: nothing written",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the plan lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "schemas/") || strings.Contains(out.String(), "policies/config/data.yaml") {
		t.Error("unchanged schemas or the data file are in the plan")
	}
	up.DryRun = false
	if err := runUpgrade(up); err != nil {
		t.Fatal(err)
	}
	if lock := readFile(t, dir, "posture.lock"); !strings.Contains(lock, "posture: v1.2.3\naction: posture-dev/posture@v1.2.3\n") {
		t.Errorf("the lock after the upgrade:\n%s", lock)
	}
}

func TestUpgradeRefuses(t *testing.T) {
	empty := t.TempDir()
	for _, tt := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{name: "not made by posture init", args: []string{"upgrade", empty}, stderr: "has no posture.lock: posture upgrade keeps a repository made by posture init"},
		{name: "not a folder", args: []string{"upgrade", filepath.Join(empty, "nope")}, stderr: "is not a folder"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if code, _, stderr := run(t, nil, tt.args...); code != ExitUsage || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, %s", code, stderr)
			}
		})
	}
}

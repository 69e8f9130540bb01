package cli

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
)

// initRepo runs posture init for Acme into a new folder and returns it.
func initRepo(t *testing.T, args ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "acme")
	code, stdout, stderr := run(t, nil, append([]string{"init", dir, "--org", "Acme", "--admin", "it-lead", "--action-ref", "v1.2.3"}, args...)...)
	if code != ExitOK {
		t.Fatalf("posture init: exit %d\n%s%s", code, stdout, stderr)
	}
	return dir
}

// TestInitThenCheck: a new organisation repository passes posture check
// and posture test, is one commit on main, and holds no Go code.
func TestInitThenCheck(t *testing.T) {
	dir := initRepo(t, "--ssid", "ACME-CORP", "--timezone", "Europe/Berlin", "--due-day", "5")
	for _, args := range [][]string{{"check", "-C", dir}, {"check", "-C", dir, "--format", "github"}, {"test", dir}} {
		if code, stdout, stderr := run(t, nil, args...); code != ExitOK {
			t.Errorf("posture %s: exit %d\n%s%s", strings.Join(args, " "), code, stdout, stderr)
		}
	}
	repo, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	head, err := repo.Head()
	if err != nil || head.Name().Short() != "main" {
		t.Fatalf("HEAD %v (%v), want branch main", head, err)
	}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".go") {
			t.Errorf("%s: Go code in an organisation's repository", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	settings, _ := os.ReadFile(filepath.Join(dir, "posture.yaml"))
	for _, want := range []string{"organization: Acme\n", "timezone: Europe/Berlin\n", "report_due_day: 5\n", `bot_login: ""`} {
		if !strings.Contains(string(settings), want) {
			t.Errorf("posture.yaml lacks %q:\n%s", want, settings)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "policies", "config", "data.yaml")); !strings.Contains(string(data), "corporate_ssids: [ACME-CORP]\n") {
		t.Error("--ssid did not replace the default network")
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), ".acme.posture-init-*")); len(leftovers) > 0 {
		t.Errorf("temporary folders left behind: %v", leftovers)
	}
}

// TestInitRefuses: a non-empty folder and bad flags are usage errors, and
// leave nothing behind.
func TestInitRefuses(t *testing.T) {
	base := []string{"--org", "Acme", "--admin", "it-lead", "--action-ref", "v1.2.3"}
	tests := []struct {
		name   string
		args   []string // after DIR
		setup  func(t *testing.T, dir string)
		stderr string
	}{
		{name: "a folder that is not empty", args: base, stderr: "is not empty",
			setup: func(t *testing.T, dir string) {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "notes.txt"), nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "a file", args: base, stderr: "is not a folder",
			setup: func(t *testing.T, dir string) {
				if err := os.WriteFile(dir, nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "no organisation", args: []string{"--admin", "it-lead", "--action-ref", "v1"}, stderr: "give the organisation's name with --org NAME"},
		{name: "no admin", args: []string{"--org", "Acme", "--action-ref", "v1"}, stderr: "--admin LOGIN"},
		{name: "a login GitHub does not allow", args: []string{"--org", "Acme", "--admin", "-it-", "--action-ref", "v1"}, stderr: `--admin: "-it-" is not a GitHub login`},
		{name: "a due day not every month has", args: append(base, "--due-day", "31"), stderr: "--due-day: 31: give a day of the month from 1 to 28"},
		{name: "a timezone that is none", args: append(base, "--timezone", "Mars/Olympus"), stderr: `--timezone: "Mars/Olympus" is not an IANA timezone`},
		{name: "an SSID too long", args: append(base, "--ssid", strings.Repeat("x", 33)), stderr: "--ssid: "},
		{name: "a repository that is not OWNER/NAME", args: append(base, "--repo", "acme"), stderr: `--repo: "acme": give the repository as OWNER/NAME`},
		{name: "an action ref with a space", args: []string{"--org", "Acme", "--admin", "it-lead", "--action-ref", "v1 x"}, stderr: `--action-ref "v1 x"`},
		{name: "no version to pin", args: []string{"--org", "Acme", "--admin", "it-lead"}, stderr: "knows neither its release tag nor its commit"},
		{name: "an unknown flag", args: append(base, "--nope"), stderr: "unknown flag: --nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, "acme")
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			before, _ := os.ReadDir(parent)
			code, stdout, stderr := run(t, nil, append([]string{"init", dir}, tt.args...)...)
			if code != ExitUsage || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, want %d with %q\nstdout: %s\nstderr: %s", code, ExitUsage, tt.stderr, stdout, stderr)
			}
			if after, _ := os.ReadDir(parent); len(after) != len(before) {
				t.Errorf("posture init left %d entries in the parent folder, %d before", len(after), len(before))
			}
		})
	}
}

// TestInitEmptyFolder: an existing empty folder becomes the repository.
func TestInitEmptyFolder(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := run(t, nil, "init", dir, "--org", "Acme", "--admin", "it-lead", "--action-ref", "v1.2.3")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "posture.lock")); err != nil {
		t.Error(err)
	}
}

// TestInitPins: the workflows pin the running posture's tag, else its
// commit; the files are stamped with its version.
func TestInitPins(t *testing.T) {
	const sha = "8495bfc203c95f7d5e2f1f6f6a3b9cbd0d5e1a2b"
	tests := []struct {
		name     string
		build    Build
		ref      string
		wantUses string
		wantWarn string
	}{
		{name: "a release", build: Build{Version: "v1.4.0"}, wantUses: "posture-dev/posture@v1.4.0 # v1.4.0"},
		{name: "a commit", build: Build{Version: "v0.0.0-20261123012238-8495bfc203c9", Revision: sha},
			wantUses: "posture-dev/posture@" + sha + " # v0.0.0-20261123012238-8495bfc203c9"},
		{name: "a commit with changes", build: Build{Version: "(devel)", Revision: sha, Modified: true},
			wantUses: "posture-dev/posture@" + sha + " # " + sha + "+dirty", wantWarn: "uncommitted changes"},
		{name: "--action-ref wins", build: Build{Version: "v1.4.0"}, ref: "v1.4.1", wantUses: "posture-dev/posture@v1.4.1 # v1.4.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			dir := filepath.Join(t.TempDir(), "acme")
			opts := newInitOptions(&out, &errOut, dir)
			opts.Build, opts.ActionRef = tt.build, tt.ref
			if err := runInit(context.Background(), opts); err != nil {
				t.Fatal(err)
			}
			wf, _ := os.ReadFile(filepath.Join(dir, ".github", "workflows", "pull-request.yml"))
			if !strings.Contains(string(wf), "uses: "+tt.wantUses+"\n") {
				t.Errorf("pull-request.yml does not use %q", tt.wantUses)
			}
			if !strings.Contains(errOut.String(), tt.wantWarn) || tt.wantWarn == "" && errOut.Len() > 0 {
				t.Errorf("stderr %q, want %q", errOut.String(), tt.wantWarn)
			}
		})
	}
}

func newInitOptions(out, errOut *bytes.Buffer, dir string) *InitOptions {
	return &InitOptions{
		IO:  IOStreams{In: strings.NewReader(""), Out: out, ErrOut: errOut},
		Now: func() time.Time { return time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC) },
		Dir: dir, Org: "Acme", Admin: "it-lead", Timezone: "Asia/Tokyo", SSIDs: []string{"CORP-WIFI"}, DueDay: 10,
		Given: map[string]bool{}, Build: Build{Version: "v1.2.3"},
	}
}

// TestInitAsks: on a terminal, posture init asks for what the flags do not
// give, offers the defaults, and asks again after a bad answer.
func TestInitAsks(t *testing.T) {
	var out, errOut bytes.Buffer
	dir := filepath.Join(t.TempDir(), "acme")
	opts := newInitOptions(&out, &errOut, dir)
	opts.Org, opts.Admin, opts.Interactive = "", "", true
	opts.Given = map[string]bool{"timezone": true}
	// org, admin (bad, then good), admin name, email (default), SSID,
	// due day (default), repository.
	opts.IO.In = strings.NewReader("Acme Corp\n-bad-\nit-lead\nIda Lead\n\nACME-CORP, ACME-GUEST\n\nacme/reports\n")
	if err := runInit(context.Background(), opts); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	for _, want := range []string{
		"The organisation's name: ", "The first IT admin's GitHub login: ", `posture: "-bad-" is not a GitHub login`,
		"The IT admin's name [it-lead]: ", "The IT admin's email [it-lead@users.noreply.github.com]: ",
		"The corporate Wi-Fi network (SSID) [CORP-WIFI]: ", "The day of the month reports are due (1-28) [10]: ",
		"The repository on GitHub (OWNER/NAME) [acme-corp/acme]: ",
	} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("the questions lack %q:\n%s", want, errOut.String())
		}
	}
	if strings.Contains(errOut.String(), "timezone") {
		t.Error("asked for the timezone, which a flag gave")
	}
	for p, want := range map[string]string{
		"posture.yaml":                      "organization: Acme Corp\n",
		"people/it-lead.yaml":               "name: Ida Lead\n",
		"policies/config/data.yaml":         "corporate_ssids: [ACME-CORP, ACME-GUEST]\n",
		".github/ISSUE_TEMPLATE/config.yml": "https://github.com/acme/reports/blob/main/README.md",
	} {
		if data, _ := os.ReadFile(filepath.Join(dir, p)); !strings.Contains(string(data), want) {
			t.Errorf("%s lacks %q", p, want)
		}
	}

	// The answers run out: the missing value is named.
	opts = newInitOptions(&out, &errOut, filepath.Join(t.TempDir(), "acme"))
	opts.Org, opts.Interactive = "", true
	err := runInit(context.Background(), opts)
	var ue usageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "give --org") {
		t.Errorf("no answers: %v", err)
	}
}

// TestInitDemo: --demo hands the committed repository to the demo's hook
// before it is moved into place; a failing hook leaves nothing.
func TestInitDemo(t *testing.T) {
	defer func(old func(context.Context, string, time.Time) error) { populateDemo = old }(populateDemo)
	var got string
	populateDemo = func(_ context.Context, dir string, now time.Time) error {
		got = dir
		if _, err := git.PlainOpen(dir); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, "demo.txt"), []byte(now.Format(time.DateOnly)), 0o644)
	}
	parent := t.TempDir()
	dir := filepath.Join(parent, "demo")
	if code, stdout, stderr := run(t, nil, "init", "--demo", dir, "--action-ref", "v1.2.3"); code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "demo.txt")); err != nil || string(data) != "2026-11-20" || got == dir {
		t.Errorf("the hook wrote %q into %s (%v), want the temporary folder", data, got, err)
	}
	if s, _ := os.ReadFile(filepath.Join(dir, "posture.yaml")); !strings.Contains(string(s), "organization: "+demoOrg) {
		t.Errorf("the demo's organisation is not %s", demoOrg)
	}

	populateDemo = func(context.Context, string, time.Time) error { return errors.New("no demo today") }
	failed := filepath.Join(parent, "failed")
	if code, _, stderr := run(t, nil, "init", "--demo", failed, "--action-ref", "v1.2.3"); code != ExitInternal || !strings.Contains(stderr, "no demo today") {
		t.Errorf("a failing hook: exit %d, %s", code, stderr)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("a failed init left %v", entries)
	}
}

// TestInitRealDemo: posture init --demo, as the README's first command runs
// it (go run: no version to pin), makes an organisation with a year of
// history that posture check finds clean.
func TestInitRealDemo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "acme")
	code, stdout, stderr := run(t, nil, "init", "--demo", dir)
	if code != ExitOK || !strings.Contains(stderr, "the demo's workflows call posture-dev/posture@main") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr := run(t, nil, "check", "-C", dir, "--at", "2026-11-20"); code != ExitOK {
		t.Errorf("check of the demo: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, _, _ := run(t, nil, "init", "--org", "Acme", "--admin", "it-lead", filepath.Join(t.TempDir(), "x")); code != ExitUsage {
		t.Errorf("a real organisation without a version to pin: exit %d, want %d", code, ExitUsage)
	}
}

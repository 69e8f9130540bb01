package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/posture-dev/posture/internal/atomicfile/atomictest"
)

// These tests run the real posture, built with -tags posturetest, which
// adds one thing: POSTURE_TEST_PAUSE=STEP stops its first file write at STEP
// (see internal/atomicfile/pause_posturetest.go) and says so on descriptor 3.

var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "posture-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var build struct {
	once sync.Once
	path string
	err  error
}

// posture builds the binary once for every test of the run.
func posture(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds posture; not with -short")
	}
	build.once.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			build.err = err
			return
		}
		build.path = filepath.Join(binDir, "posture")
		out, err := exec.Command(goTool, "build", "-tags", "posturetest", "-o", build.path, ".").CombinedOutput()
		if err != nil {
			build.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if errors.Is(build.err, exec.ErrNotFound) {
		t.Skip("no go command to build posture with:", build.err)
	}
	if build.err != nil {
		t.Fatal(build.err)
	}
	return build.path
}

const device = "d-e1008-laptop"

// org writes a clone with a device of this computer's platform into dir,
// and returns where its November report goes.
func org(t *testing.T, dir string) string {
	t.Helper()
	platform := map[string]string{"darwin": "macos"}[runtime.GOOS]
	if platform == "" {
		platform = runtime.GOOS
	}
	files := map[string]string{
		"posture.yaml": "organization: Test Org\ntimezone: Asia/Tokyo\nreport_due_day: 10\n",
		"devices/" + device + ".yaml": "id: " + device + "\nowner: e1008\nownership: byod\ntype: laptop\nplatform: " + platform +
			"\nmodel: ThinkPad T14\nos_name: ubuntu\nos_version: \"24.04\"\nwifi_macs:\n  - mac: \"14:85:7f:a3:6e:20\"\n    kind: burned_in\n" +
			"registered: 2025-09-08\nstatus: active\n",
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "reports", "2026-11", device+".yaml")
}

// command is a posture run that writes report, whose content before it is
// old (nil: no file).
type command struct {
	name string
	args func(dir, report string) []string
	old  []byte
}

// run runs posture in dir and returns its exit code and standard error.
func run(t *testing.T, bin, dir string, args []string) (int, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), stderr.String()
}

// setUp makes a clone in a new folder with c's old report.
func setUp(t *testing.T, c command) (dir, report string) {
	t.Helper()
	dir = t.TempDir()
	report = org(t, dir)
	if c.old != nil {
		os.MkdirAll(filepath.Dir(report), 0o755)
		if err := os.WriteFile(report, c.old, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, report
}

// commands are the writing commands tested, with the report each one
// writes when left alone.
func commands(t *testing.T, bin string) ([]command, map[string][]byte) {
	reportNew := func(force bool) func(dir, report string) []string {
		return func(dir, _ string) []string {
			args := []string{"report", "new", "-C", dir, "--device", device, "--period", "2026-11"}
			if force {
				args = append(args, "--force")
			}
			return args
		}
	}
	cs := []command{
		{name: "report new", args: reportNew(false)},
		{name: "report new --force", args: reportNew(true), old: bytes.Repeat([]byte("# an older start of this report\n"), 200)},
	}
	want := map[string][]byte{}
	for _, c := range cs {
		dir, report := setUp(t, c)
		if code, stderr := run(t, bin, dir, c.args(dir, report)); code != 0 {
			t.Fatalf("posture %s: exit %d\n%s", c.name, code, stderr)
		}
		want[c.name], _ = os.ReadFile(report)
	}
	// collect --into fills in the report that report new starts.
	collect := command{name: "collect --into", old: want["report new"],
		args: func(_, report string) []string { return []string{"collect", "--into", report} }}
	dir, report := setUp(t, collect)
	if code, stderr := run(t, bin, dir, collect.args(dir, report)); code != 0 {
		t.Logf("posture collect cannot read this computer (exit %d), so it is not tested: %s", code, stderr)
	} else {
		cs = append(cs, collect)
		want[collect.name], _ = os.ReadFile(report)
	}
	for name, w := range want {
		if len(w) < 200 {
			t.Fatalf("posture %s wrote %q: too short to tell a cut file from a whole one", name, w)
		}
	}
	return cs, want
}

// TestKilledWriteLeavesOldOrNew kills posture at each step of its write:
// the report is then the old one until the rename and the complete new one
// from it, never anything between; at most a temporary file is left beside
// it.
func TestKilledWriteLeavesOldOrNew(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the pause talks on inherited descriptors 3 and 4, which Windows does not pass")
	}
	bin := posture(t)
	cs, want := commands(t, bin)
	for _, c := range cs {
		for _, step := range []string{"created", "written", "synced", "closed", "renamed"} {
			t.Run(c.name+" killed "+step, func(t *testing.T) {
				dir, report := setUp(t, c)
				paused(t, bin, dir, c.args(dir, report), step, func(p *os.Process) {
					if err := p.Kill(); err != nil {
						t.Fatal(err)
					}
				})
				got, err := os.ReadFile(report)
				switch {
				case step == "renamed" && !bytes.Equal(got, want[c.name]):
					t.Errorf("the report holds %d bytes (%v), want the %d of the new one:\n%s", len(got), err, len(want[c.name]), got)
				case step != "renamed" && c.old == nil && !errors.Is(err, os.ErrNotExist):
					t.Errorf("the report was not there before, and now holds %d bytes (%v)", len(got), err)
				case step != "renamed" && c.old != nil && !bytes.Equal(got, c.old):
					t.Errorf("the report holds %d bytes (%v), want the %d of the old one:\n%s", len(got), err, len(c.old), got)
				}
				rest := others(t, report)
				if step == "renamed" && len(rest) != 0 || step != "renamed" && len(rest) != 1 {
					t.Errorf("beside the report: %q; want one temporary file before the rename, none after", rest)
				}
				for _, name := range rest {
					if !strings.HasPrefix(name, "."+device+".yaml.tmp-") {
						t.Errorf("beside the report: %s, not a temporary file of it", name)
					}
				}
			})
		}
		t.Run(c.name+" let go", func(t *testing.T) { // the pause itself changes nothing
			dir, report := setUp(t, c)
			code := paused(t, bin, dir, c.args(dir, report), "closed", func(*os.Process) {})
			if got, _ := os.ReadFile(report); code != 0 || !bytes.Equal(got, want[c.name]) {
				t.Errorf("exit %d, report %q; want exit 0 and the new report", code, got)
			}
			if rest := others(t, report); len(rest) != 0 {
				t.Errorf("beside the report: %q", rest)
			}
		})
	}
}

// paused runs posture until its write reaches step, calls stop, then lets
// it go and returns its exit code (-1 when killed).
func paused(t *testing.T, bin, dir string, args []string, step string, stop func(*os.Process)) int {
	t.Helper()
	readyR, readyW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer readyR.Close()
	waitR, waitW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer waitW.Close()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "POSTURE_TEST_PAUSE="+step)
	cmd.ExtraFiles = []*os.File{readyW, waitR} // descriptors 3 and 4
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	readyW.Close()
	waitR.Close()
	line, err := bufio.NewReader(readyR).ReadString('\n')
	if err != nil || line != step+"\n" {
		cmd.Wait()
		t.Fatalf("posture %s ended before its write reached %s (read %q, %v):\n%s", strings.Join(args, " "), step, line, err, stderr.String())
	}
	stop(cmd.Process)
	waitW.Close()
	cmd.Wait()
	return cmd.ProcessState.ExitCode()
}

// others lists the files beside report.
func others(t *testing.T, report string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(report))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.Name() != filepath.Base(report) {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestFullDiskLeavesOld runs each writing command on a real full disk: it
// fails, saying so, and the report keeps every byte.
func TestFullDiskLeavesOld(t *testing.T) {
	disk := atomictest.SmallDisk(t, 64<<10)
	bin := posture(t)
	cs, want := commands(t, bin)
	for _, c := range cs {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(disk, strings.ReplaceAll(c.name, " ", "_"))
			report := org(t, dir)
			os.MkdirAll(filepath.Dir(report), 0o755)
			if c.old != nil {
				if err := os.WriteFile(report, c.old, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			filler := atomictest.Fill(t, disk)
			defer os.Remove(filler)
			code, stderr := run(t, bin, dir, c.args(dir, report))
			if code != 3 || !strings.Contains(stderr, "no space left on device") {
				t.Errorf("exit %d, stderr %q; want 3 and no space left on device", code, stderr)
			}
			got, err := os.ReadFile(report)
			if c.old == nil && !errors.Is(err, os.ErrNotExist) {
				t.Errorf("there was no report, and now it holds %d bytes (%v)", len(got), err)
			}
			if c.old != nil && !bytes.Equal(got, c.old) {
				t.Errorf("the report holds %d bytes (%v), want it as it was (%d bytes)", len(got), err, len(c.old))
			}
			if rest := others(t, report); len(rest) != 0 {
				t.Errorf("beside the report: %q", rest)
			}
			os.Remove(filler)
			if code, stderr := run(t, bin, dir, c.args(dir, report)); code != 0 {
				t.Fatalf("with space again: exit %d\n%s", code, stderr)
			}
			if got, _ := os.ReadFile(report); !bytes.Equal(got, want[c.name]) {
				t.Errorf("with space again the report holds %q", got)
			}
			if !slices.Equal(others(t, report), nil) {
				t.Errorf("beside the report: %q", others(t, report))
			}
		})
	}
}

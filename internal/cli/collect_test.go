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

	"github.com/posture-dev/posture/internal/collect"
)

// recorded answers collect's commands from the samples in
// internal/collect/testdata and fails the test on any other command.
func recorded(t *testing.T, samples map[string]string) collect.Runner {
	return func(_ context.Context, name string, args ...string) ([]byte, error) {
		key := strings.Join(append([]string{name}, args...), " ")
		f, ok := samples[key]
		if !ok {
			t.Errorf("unexpected command %q", key)
			return nil, errors.New("not found")
		}
		return os.ReadFile(filepath.Join("..", "collect", "testdata", f))
	}
}

var windowsSamples = map[string]string{"cmd /c ver": "windows/ver.txt",
	"powershell -NoProfile -NonInteractive -Command Get-NetAdapter -Physical | Select-Object Name,InterfaceDescription,MacAddress,PhysicalMediaType | ConvertTo-Json": "windows/get-netadapter.json"}

func TestCollectCommand(t *testing.T) {
	var out bytes.Buffer
	opts := &CollectOptions{IO: IOStreams{Out: &out}, GOOS: "windows", Run: recorded(t, windowsSamples), Read: os.ReadFile}
	if err := runCollect(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"os_version: \"10.0.26200\"\n", "os_build: \"26200.7171\"\n", "wifi_mac: \"8c:17:59:d2:40:7a\"\n", "# ethernet Ethernet"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("output lacks %q:\n%s", s, out.String())
		}
	}

	// --into fills a report started with report new, keeping the rest.
	dir := cycleClone(t)
	if code, _, stderr := run(t, nil, "report", "new", "-C", dir, "--device", "d-e1004-laptop"); code != ExitOK {
		t.Fatal(stderr)
	}
	into := filepath.Join(dir, "reports", "2026-11", "d-e1004-laptop.yaml")
	out.Reset()
	opts.Into = into
	if err := runCollect(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(into)
	for _, s := range []string{"os_version: \"10.0.26200\"\n", "os_build: \"26200.7171\"\n", "wifi_mac: \"8c:17:59:d2:40:7a\"\n", "reporter: e1004\n", "antivirus: # TODO"} {
		if !strings.Contains(string(data), s) {
			t.Errorf("filled report lacks %q:\n%s", s, data)
		}
	}

	// A computer of another platform than the device's is refused.
	opts.GOOS = "darwin"
	opts.Run = recorded(t, map[string]string{"sw_vers": "macos/sw_vers.txt", "networksetup -listallhardwareports": "macos/networksetup.txt", "ifconfig en0": "macos/ifconfig-en0.txt"})
	err := runCollect(context.Background(), opts)
	var ue usageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "this computer runs macos but d-e1004-laptop is registered as windows") {
		t.Errorf("other platform: %v", err)
	}
	opts.GOOS, opts.Into = "plan9", ""
	if err := runCollect(context.Background(), opts); !errors.As(err, &ue) {
		t.Errorf("unsupported system: %v", err)
	}
}

// TestCollectIntoSaysWhatChanged fills a report started with report new
// for a device registered as ubuntu, on a computer that says it runs
// Debian 13 (the recorded samples of internal/collect/testdata): collect
// writes what the computer says and names on stderr every value it
// replaced, with what the device's registration says about os_name.
func TestCollectIntoSaysWhatChanged(t *testing.T) {
	files := map[string]string{"/etc/os-release": "linux/os-release-debian", "/sys/class/net/wlp0s20f3/uevent": "linux/uevent-wlp0s20f3"}
	read := func(p string) ([]byte, error) {
		f, ok := files[p]
		if !ok {
			return nil, fs.ErrNotExist
		}
		return os.ReadFile(filepath.Join("..", "collect", "testdata", f))
	}
	const device = "d-e1007-desktop"
	tests := []struct {
		name string
		// registered is the device file's os_name line, "" to delete the
		// device file.
		registered string
		want       []string
	}{
		{name: "registered as another distribution", registered: "os_name: ubuntu",
			want: []string{`os_name in %s was "ubuntu"; now "debian", what this computer says; the device's registration (devices/d-e1007-desktop.yaml) says "ubuntu", and posture check fails the report until they agree: if d-e1007-desktop runs debian now, change os_name in devices/d-e1007-desktop.yaml in a pull request of its own first; if not, run posture collect on d-e1007-desktop itself`,
				`os_version in %s was "24.04"; now "13", what this computer says`,
				`wifi_mac in %s was "00:e0:4c:68:12:af"; now "3a:7e:41:c2:09:d4", what this computer says`}},
		{name: "registered as the same distribution", registered: "os_name: Debian",
			want: []string{`os_name in %s was "ubuntu"; now "debian", what this computer says; the device's registration (devices/d-e1007-desktop.yaml) says "Debian" too`}},
		{name: "registration without os_name", registered: "# no os_name",
			want: []string{`os_name in %s was "ubuntu"; now "debian", what this computer says` + "\n"}},
		{name: "no registration", registered: "",
			want: []string{`os_name in %s was "ubuntu"; now "debian", what this computer says` + "\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := cycleClone(t)
			if code, _, stderr := run(t, nil, "report", "new", "-C", dir, "--device", device); code != ExitOK {
				t.Fatal(stderr)
			}
			devFile := filepath.Join(dir, "devices", device+".yaml")
			reg, err := os.ReadFile(devFile)
			if err != nil || !strings.Contains(string(reg), "os_name: ubuntu\n") {
				t.Fatalf("the demo device is no longer registered as ubuntu: %v\n%s", err, reg)
			}
			if tt.registered == "" {
				err = os.Remove(devFile)
			} else {
				err = os.WriteFile(devFile, []byte(strings.Replace(string(reg), "os_name: ubuntu", tt.registered, 1)), 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
			into := filepath.Join(dir, "reports", "2026-11", device+".yaml")
			var out, errOut bytes.Buffer
			opts := &CollectOptions{IO: IOStreams{Out: &out, ErrOut: &errOut}, GOOS: "linux",
				Run: recorded(t, map[string]string{"ip -o link show": "linux/ip-link.txt"}), Read: read, Into: into}
			if err := runCollect(context.Background(), opts); err != nil {
				t.Fatal(err)
			}
			data, _ := os.ReadFile(into)
			if !strings.Contains(string(data), "os_name: \"debian\"\n") || !strings.Contains(string(data), "os_version: \"13\"\n") {
				t.Errorf("the report does not say what the computer says:\n%s", data)
			}
			for _, w := range tt.want {
				if w := "posture: " + strings.Replace(w, "%s", into, 1); !strings.Contains(errOut.String(), w) {
					t.Errorf("stderr lacks\n%s\ngot\n%s", w, errOut.String())
				}
			}
			if n := strings.Count(errOut.String(), "\n"); n != 3 {
				t.Errorf("stderr has %d lines, want one per changed field (os_name, os_version, wifi_mac):\n%s", n, errOut.String())
			}
		})
	}

	// Collecting again changes nothing and says nothing.
	t.Run("nothing changed", func(t *testing.T) {
		dir := cycleClone(t)
		into := filepath.Join(dir, "reports", "2026-11", device+".yaml")
		if err := os.MkdirAll(filepath.Dir(into), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(into, []byte("period: \"2026-11\"\ndevice: "+device+"\nos_name: Debian\nos_version: \"13\"\nwifi_mac: 3A-7E-41-C2-09-D4\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		var out, errOut bytes.Buffer
		opts := &CollectOptions{IO: IOStreams{Out: &out, ErrOut: &errOut}, GOOS: "linux",
			Run: recorded(t, map[string]string{"ip -o link show": "linux/ip-link.txt"}), Read: read, Into: into}
		if err := runCollect(context.Background(), opts); err != nil {
			t.Fatal(err)
		}
		if errOut.Len() != 0 {
			t.Errorf("stderr: %s", errOut.String())
		}
	})
}

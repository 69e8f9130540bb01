package cli

import (
	"bytes"
	"context"
	"errors"
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

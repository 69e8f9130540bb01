package collect

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/record"
)

// machine answers commands and file reads from recorded samples in
// testdata/<platform>/, and fails the test on any other command: the
// tests never run a real one.
type machine struct {
	t     *testing.T
	cmds  map[string]string // "name arg..." -> sample file
	files map[string]string // path -> sample file
}

func (m machine) run(_ context.Context, name string, args ...string) ([]byte, error) {
	key := strings.Join(append([]string{name}, args...), " ")
	f, ok := m.cmds[key]
	if !ok {
		m.t.Errorf("unexpected command %q", key)
		return nil, errors.New("not found")
	}
	if f == "" {
		return nil, errors.New("exit status 1")
	}
	return os.ReadFile(filepath.Join("testdata", f))
}

func (m machine) read(p string) ([]byte, error) {
	f, ok := m.files[p]
	if !ok {
		return nil, fs.ErrNotExist
	}
	return os.ReadFile(filepath.Join("testdata", f))
}

func TestCollect(t *testing.T) {
	ps := "powershell -NoProfile -NonInteractive -Command " + getNetAdapter
	tests := []struct {
		name  string
		goos  string
		cmds  map[string]string
		files map[string]string
		want  Info
	}{
		{name: "linux", goos: "linux",
			cmds: map[string]string{"ip -o link show": "linux/ip-link.txt"},
			files: map[string]string{"/etc/os-release": "linux/os-release", "/sys/class/net/wlp0s20f3/uevent": "linux/uevent-wlp0s20f3",
				"/sys/class/net/enp0s31f6/uevent": "linux/uevent-enp0s31f6", "/sys/class/net/docker0/uevent": "linux/uevent-docker0"},
			want: Info{Platform: "linux", OSName: "ubuntu", OSVersion: "24.04", Interfaces: []Interface{
				{Name: "wlp0s20f3", Kind: WiFi, MAC: "3a:7e:41:c2:09:d4", Local: true, Hardware: "70:cf:49:a1:5b:22"},
				{Name: "enp0s31f6", Kind: Ethernet, MAC: "8c:16:45:5e:71:0a"}}}},
		{name: "linux without uevent", goos: "linux",
			cmds: map[string]string{"ip -o link show": "linux/ip-link.txt"},
			want: Info{Platform: "linux", Interfaces: []Interface{
				{Name: "wlp0s20f3", Kind: WiFi, MAC: "3a:7e:41:c2:09:d4", Local: true, Hardware: "70:cf:49:a1:5b:22"},
				{Name: "enp0s31f6", Kind: Ethernet, MAC: "8c:16:45:5e:71:0a"}}}},
		{name: "macos with a private Wi-Fi address", goos: "darwin",
			cmds: map[string]string{"sw_vers": "macos/sw_vers.txt", "networksetup -listallhardwareports": "macos/networksetup.txt",
				"ifconfig en0": "macos/ifconfig-en0.txt"},
			want: Info{Platform: "macos", OSVersion: "15.7.2", OSBuild: "24G325", Interfaces: []Interface{
				{Name: "en0", Kind: WiFi, MAC: "8e:3b:7a:4f:20:5d", Local: true, Hardware: "a4:83:e7:5c:2b:19"},
				{Name: "en4", Kind: Ethernet, MAC: "36:0f:8b:2c:11:e0", Local: true},
				{Name: "en7", Kind: Ethernet, MAC: "00:e0:4c:68:12:7f"}}}},
		{name: "windows", goos: "windows",
			cmds: map[string]string{"cmd /c ver": "windows/ver.txt", ps: "windows/get-netadapter.json"},
			want: Info{Platform: "windows", OSVersion: "10.0.26200", OSBuild: "26200.7171", Interfaces: []Interface{
				{Name: "Wi-Fi", Kind: WiFi, MAC: "8c:17:59:d2:40:7a"},
				{Name: "Ethernet", Kind: Ethernet, MAC: "98:fa:9b:0c:44:31"}}}},
		{name: "windows, one adapter", goos: "windows",
			cmds: map[string]string{"cmd /c ver": "windows/ver-ja.txt", ps: "windows/get-netadapter-one.json"},
			want: Info{Platform: "windows", OSVersion: "10.0.26100", OSBuild: "26100.4946", Interfaces: []Interface{
				{Name: "WLAN", Kind: WiFi, MAC: "2e:b8:61:0f:93:4c", Local: true}}}},
		{name: "windows without PowerShell", goos: "windows",
			cmds: map[string]string{"cmd /c ver": "windows/ver.txt", ps: "", "getmac /v /fo csv": "windows/getmac.csv"},
			want: Info{Platform: "windows", OSVersion: "10.0.26200", OSBuild: "26200.7171", Interfaces: []Interface{
				{Name: "Wi-Fi", Kind: WiFi, MAC: "8c:17:59:d2:40:7a"},
				{Name: "Ethernet", Kind: Ethernet, MAC: "98:fa:9b:0c:44:31"}}}},
		{name: "japanese getmac", goos: "windows",
			cmds: map[string]string{"cmd /c ver": "windows/ver-ja.txt", ps: "", "getmac /v /fo csv": "windows/getmac-ja.csv"},
			want: Info{Platform: "windows", OSVersion: "10.0.26100", OSBuild: "26100.4946", Interfaces: []Interface{
				{Name: "Wi-Fi", Kind: WiFi, MAC: "da:a1:19:6b:30:2e", Local: true}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := machine{t: t, cmds: tt.cmds, files: tt.files}
			got, err := Collect(context.Background(), tt.goos, m.run, m.read)
			if err != nil {
				t.Fatal(err)
			}
			if !equalInfo(*got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

func equalInfo(a, b Info) bool {
	if a.Platform != b.Platform || a.OSName != b.OSName || a.OSVersion != b.OSVersion || a.OSBuild != b.OSBuild || len(a.Interfaces) != len(b.Interfaces) {
		return false
	}
	for i := range a.Interfaces {
		if a.Interfaces[i] != b.Interfaces[i] {
			return false
		}
	}
	return true
}

func TestCollectUnsupportedAndFailing(t *testing.T) {
	m := machine{t: t, cmds: map[string]string{"sw_vers": ""}}
	if _, err := Collect(context.Background(), "android", m.run, m.read); !errors.Is(err, ErrUnsupported) {
		t.Errorf("android: %v", err)
	}
	if _, err := Collect(context.Background(), "darwin", m.run, m.read); err == nil || !strings.Contains(err.Error(), "run sw_vers") {
		t.Errorf("failing sw_vers: %v", err)
	}
}

func TestLocallyAdministered(t *testing.T) {
	for mac, want := range map[string]bool{"3c:22:fb:12:34:56": false, "2e:b8:61:0f:93:4c": true, "02:42:7c:1e:55:90": true, "a4:83:e7:5c:2b:19": false, "fe:00:00:00:00:01": true} {
		if got := LocallyAdministered(mac); got != want {
			t.Errorf("%s: %v", mac, got)
		}
	}
	for in, want := range map[string]string{"8C-17-59-D2-40-7A": "8c:17:59:d2:40:7a", "8c17.59d2.407a": "8c:17:59:d2:40:7a", "zz:17:59:d2:40:7a": "", "8c:17:59": ""} {
		got, _ := NormalizeMAC(in)
		if got != want {
			t.Errorf("NormalizeMAC(%q) = %q", in, got)
		}
	}
}

func TestWriteYAMLAndFill(t *testing.T) {
	info := &Info{Platform: "linux", OSName: "ubuntu", OSVersion: "24.04", Interfaces: []Interface{
		{Name: "wlp0s20f3", Kind: WiFi, MAC: "3a:7e:41:c2:09:d4", Local: true, Hardware: "70:cf:49:a1:5b:22"}}}
	var b bytes.Buffer
	if err := info.WriteYAML(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"os_name: \"ubuntu\"\n", "os_version: \"24.04\"\n", "wifi_mac: \"3a:7e:41:c2:09:d4\"\n", "locally administered", "hardware address 70:cf:49:a1:5b:22"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if rec, fs := record.Parse("x.yaml", record.Report, b.Bytes()); rec == nil || rec.String("os_version") != "24.04" {
		t.Errorf("the output is not YAML a report can take: %v", fs)
	}

	report := "# yaml-language-server: $schema=../../schemas/report.schema.json\nperiod: \"2026-11\"\ndevice: d-x\nos_version: # TODO: as the device shows it\nantivirus: ClamAV # the product\nwifi_mac: \"00:11:22:33:44:55\"\n"
	filled, changes, err := info.Fill([]byte(report))
	if err != nil {
		t.Fatal(err)
	}
	if want := []Change{{Field: "wifi_mac", Old: "00:11:22:33:44:55", New: "3a:7e:41:c2:09:d4"}}; !slices.Equal(changes, want) {
		t.Errorf("changes = %+v, want %+v", changes, want)
	}
	rec, fs := record.Parse("r.yaml", record.Report, filled)
	if rec == nil {
		t.Fatalf("%v\n%s", fs, filled)
	}
	for k, want := range map[string]string{"os_version": "24.04", "os_name": "ubuntu", "wifi_mac": "3a:7e:41:c2:09:d4", "antivirus": "ClamAV", "period": "2026-11"} {
		if got := rec.String(k); got != want {
			t.Errorf("%s = %q, want %q\n%s", k, got, want, filled)
		}
	}
	if s := string(filled); strings.Contains(s, "TODO") || !strings.Contains(s, "# the product") || !strings.HasPrefix(s, "# yaml-language-server") {
		t.Errorf("comments not kept or TODO not dropped:\n%s", s)
	}
	if _, _, err := info.Fill([]byte("- a\n- b\n")); err == nil {
		t.Error("filled a list")
	}
}

// TestFillChanges fills reports with what a Debian 13 machine says (the
// recorded /etc/os-release of trixie) and reports each value it replaced.
func TestFillChanges(t *testing.T) {
	m := machine{t: t, cmds: map[string]string{"ip -o link show": "linux/ip-link.txt"},
		files: map[string]string{"/etc/os-release": "linux/os-release-debian", "/sys/class/net/wlp0s20f3/uevent": "linux/uevent-wlp0s20f3"}}
	info, err := Collect(context.Background(), "linux", m.run, m.read)
	if err != nil {
		t.Fatal(err)
	}
	if info.OSName != "debian" || info.OSVersion != "13" {
		t.Fatalf("collected %+v", info)
	}
	tests := []struct {
		name   string
		report string
		want   []Change
	}{
		{name: "another distribution",
			report: "os_name: \"ubuntu\" # TODO: check it\nos_version: \"24.04\"\nwifi_mac: \"3a:7e:41:c2:09:d4\"\n",
			want:   []Change{{Field: "os_name", Old: "ubuntu", New: "debian"}, {Field: "os_version", Old: "24.04", New: "13"}}},
		{name: "unquoted values", report: "os_name: ubuntu\nos_version: 24.04\n",
			want: []Change{{Field: "os_name", Old: "ubuntu", New: "debian"}, {Field: "os_version", Old: "24.04", New: "13"}}},
		{name: "the same distribution in another case, the same MAC spelt otherwise",
			report: "os_name: Debian\nos_version: \"13\"\nwifi_mac: 3A-7E-41-C2-09-D4\n"},
		{name: "blank fields are filled, not changed", report: "os_name: # TODO: the distribution\nos_version: \"\"\nwifi_mac: ~\n"},
		{name: "missing fields are added, not changed", report: "period: \"2026-11\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			filled, changes, err := info.Fill([]byte(tt.report))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(changes, tt.want) {
				t.Errorf("changes = %+v, want %+v", changes, tt.want)
			}
			rec, fs := record.Parse("r.yaml", record.Report, filled)
			if rec == nil || rec.String("os_name") != "debian" || rec.String("os_version") != "13" {
				t.Errorf("not filled: %v\n%s", fs, filled)
			}
		})
	}
}

package collect

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// getNetAdapter lists the physical adapters as JSON.
const getNetAdapter = "Get-NetAdapter -Physical | Select-Object Name,InterfaceDescription,MacAddress,PhysicalMediaType | ConvertTo-Json"

// windows reads `cmd /c ver` and the physical adapters from PowerShell's
// Get-NetAdapter, or from `getmac /v /fo csv` where PowerShell is not
// allowed to run.
func windows(ctx context.Context, run Runner) (*Info, error) {
	info := &Info{Platform: "windows"}
	out, err := runText(ctx, run, "cmd", "/c", "ver")
	if err != nil {
		return nil, err
	}
	info.OSVersion, info.OSBuild = parseVer(out)
	if out, err := runText(ctx, run, "powershell", "-NoProfile", "-NonInteractive", "-Command", getNetAdapter); err == nil {
		if err := parseNetAdapter(out, info); err == nil {
			return info, nil
		}
	}
	out, err = runText(ctx, run, "getmac", "/v", "/fo", "csv")
	if err != nil {
		return nil, err
	}
	if err := parseGetmac(out, info); err != nil {
		return nil, err
	}
	return info, nil
}

var verRe = regexp.MustCompile(`\[[^\]0-9]*(\d+)\.(\d+)\.(\d+)(?:\.(\d+))?\]`)

// parseVer reads "Microsoft Windows [Version 10.0.26200.7171]", the word
// "Version" in any language, into "10.0.26200" and "26200.7171".
func parseVer(s string) (version, build string) {
	m := verRe.FindStringSubmatch(s)
	if m == nil {
		return "", ""
	}
	version = m[1] + "." + m[2] + "." + m[3]
	if m[4] != "" {
		build = m[3] + "." + m[4]
	}
	return version, build
}

type netAdapter struct {
	Name                 string
	InterfaceDescription string
	MacAddress           string
	PhysicalMediaType    string
}

// parseNetAdapter reads ConvertTo-Json's output: an object for one
// adapter, an array for more.
func parseNetAdapter(s string, info *Info) error {
	s = strings.TrimSpace(s)
	var list []netAdapter
	if strings.HasPrefix(s, "{") {
		var one netAdapter
		if err := json.Unmarshal([]byte(s), &one); err != nil {
			return fmt.Errorf("read Get-NetAdapter: %w", err)
		}
		list = []netAdapter{one}
	} else if err := json.Unmarshal([]byte(s), &list); err != nil {
		return fmt.Errorf("read Get-NetAdapter: %w", err)
	}
	for _, a := range list {
		kind := ""
		switch {
		case strings.Contains(a.PhysicalMediaType, "802.11"):
			kind = WiFi
		case a.PhysicalMediaType == "802.3":
			kind = Ethernet
		default:
			kind = windowsKind(a.InterfaceDescription)
		}
		if kind != "" {
			info.add(a.Name, kind, a.MacAddress, "")
		}
	}
	return nil
}

// parseGetmac reads `getmac /v /fo csv`: "Connection Name","Network
// Adapter","Physical Address","Transport Name", by position because the
// header is translated.
func parseGetmac(s string, info *Info) error {
	rows, err := csv.NewReader(strings.NewReader(strings.TrimSpace(s))).ReadAll()
	if err != nil {
		return fmt.Errorf("read getmac: %w", err)
	}
	for i, r := range rows {
		if i == 0 || len(r) < 3 {
			continue
		}
		if kind := windowsKind(r[1] + " " + r[0]); kind != "" {
			info.add(r[0], kind, r[2], "")
		}
	}
	return nil
}

// windowsKind guesses Wi-Fi or Ethernet from an adapter's name and
// description; virtual adapters (Hyper-V, VPNs, Bluetooth) are left out.
func windowsKind(desc string) string {
	d := strings.ToLower(desc)
	switch {
	case strings.Contains(d, "virtual"), strings.Contains(d, "vpn"), strings.Contains(d, "bluetooth"), strings.Contains(d, "hyper-v"), strings.Contains(d, "tap-"):
		return ""
	case strings.Contains(d, "wi-fi"), strings.Contains(d, "wireless"), strings.Contains(d, "802.11"), strings.Contains(d, "wlan"):
		return WiFi
	case strings.Contains(d, "ethernet"), strings.Contains(d, "gbe"), strings.Contains(d, "gigabit"), strings.Contains(d, "lan"):
		return Ethernet
	}
	return ""
}

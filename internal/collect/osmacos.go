package collect

import (
	"context"
	"strings"
)

// macos reads `sw_vers`, `networksetup -listallhardwareports` (the
// hardware addresses, by port name) and `ifconfig <device>` for each Wi-Fi
// port, whose "ether" line is the address in use: with a private Wi-Fi
// address turned on it differs from the hardware's.
func macos(ctx context.Context, run Runner) (*Info, error) {
	info := &Info{Platform: "macos"}
	out, err := runText(ctx, run, "sw_vers")
	if err != nil {
		return nil, err
	}
	vers := parseColonLines(out)
	info.OSVersion, info.OSBuild = vers["ProductVersion"], vers["BuildVersion"]
	out, err = runText(ctx, run, "networksetup", "-listallhardwareports")
	if err != nil {
		return nil, err
	}
	for _, p := range parseHardwarePorts(out) {
		kind := macKind(p.port)
		if kind == "" {
			continue
		}
		current := p.mac
		if kind == WiFi {
			if ifc, err := runText(ctx, run, "ifconfig", p.device); err == nil {
				if m := ifconfigEther(ifc); m != "" {
					current = m
				}
			}
		}
		info.add(p.device, kind, current, p.mac)
	}
	return info, nil
}

// parseColonLines reads "Key:<tab>value" lines.
func parseColonLines(s string) map[string]string {
	out := map[string]string{}
	for _, l := range strings.Split(s, "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok {
			out[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return out
}

type hardwarePort struct{ port, device, mac string }

// parseHardwarePorts reads blocks of
//
//	Hardware Port: Wi-Fi
//	Device: en0
//	Ethernet Address: 3c:22:fb:12:34:56
func parseHardwarePorts(s string) []hardwarePort {
	var out []hardwarePort
	var cur hardwarePort
	flush := func() {
		if cur.port != "" && cur.device != "" {
			out = append(out, cur)
		}
		cur = hardwarePort{}
	}
	for _, l := range strings.Split(s, "\n") {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "Hardware Port":
			flush()
			cur.port = v
		case "Device":
			cur.device = v
		case "Ethernet Address":
			cur.mac = v
		}
	}
	flush()
	return out
}

// macKind names Wi-Fi and wired ports; bridges, Bluetooth and iPhone USB
// tethering are left out.
func macKind(port string) string {
	p := strings.ToLower(port)
	switch {
	case p == "wi-fi" || p == "airport":
		return WiFi
	case strings.Contains(p, "bridge"), strings.Contains(p, "bluetooth"), strings.Contains(p, "iphone"), strings.Contains(p, "vpn"):
		return ""
	case strings.Contains(p, "ethernet"), strings.Contains(p, "lan"):
		return Ethernet
	}
	return ""
}

// ifconfigEther returns the address on ifconfig's "ether" line.
func ifconfigEther(s string) string {
	for _, l := range strings.Split(s, "\n") {
		f := strings.Fields(l)
		if len(f) >= 2 && f[0] == "ether" {
			return f[1]
		}
	}
	return ""
}

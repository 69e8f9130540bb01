package collect

import (
	"context"
	"strings"
)

// linux reads /etc/os-release and `ip -o link show`.
func linux(ctx context.Context, run Runner, read Reader) (*Info, error) {
	info := &Info{Platform: "linux"}
	if data, err := read("/etc/os-release"); err == nil {
		rel := parseOSRelease(string(data))
		info.OSName, info.OSVersion = rel["ID"], rel["VERSION_ID"]
		if info.OSVersion == "" { // rolling releases (Arch) have no version
			info.OSVersion = rel["BUILD_ID"]
		}
	}
	out, err := runText(ctx, run, "ip", "-o", "link", "show")
	if err != nil {
		return nil, err
	}
	for _, l := range parseIPLink(out) {
		kind := linuxKind(l.name, read)
		if kind != "" {
			info.add(l.name, kind, l.mac, l.perm)
		}
	}
	return info, nil
}

// parseOSRelease reads os-release(5): KEY=value lines, values optionally
// quoted with shell escapes.
func parseOSRelease(s string) map[string]string {
	out := map[string]string{}
	for _, l := range strings.Split(s, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(l), "=")
		if !ok || strings.HasPrefix(k, "#") {
			continue
		}
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			q := v[0]
			v = v[1 : len(v)-1]
			if q == '"' {
				v = shellUnescape.Replace(v)
			}
		}
		out[k] = v
	}
	return out
}

// shellUnescape undoes the escapes os-release allows in double quotes.
var shellUnescape = strings.NewReplacer(`\"`, `"`, `\\`, `\`, `\$`, `$`, "\\`", "`")

type ipLink struct{ name, mac, perm string }

// parseIPLink reads `ip -o link show`: one line per interface,
//
//	3: wlp0s20f3: <...> mtu 1500 ... \    link/ether 5a:.. brd ff:.. permaddr 3c:..
//
// keeping the interfaces with an Ethernet-style (link/ether) address.
func parseIPLink(s string) []ipLink {
	var out []ipLink
	for _, l := range strings.Split(s, "\n") {
		f := strings.Fields(l)
		if len(f) < 2 || !strings.HasSuffix(f[0], ":") {
			continue
		}
		name := strings.TrimSuffix(f[1], ":")
		if i := strings.IndexByte(name, '@'); i >= 0 {
			name = name[:i] // vlan0@eth0
		}
		var link ipLink
		link.name = name
		for i := 2; i+1 < len(f); i++ {
			switch f[i] {
			case "link/ether":
				link.mac = f[i+1]
			case "permaddr":
				link.perm = f[i+1]
			}
		}
		if link.mac != "" {
			out = append(out, link)
		}
	}
	return out
}

// linuxKind tells Wi-Fi from Ethernet by the kernel's device type
// (/sys/class/net/<name>/uevent says DEVTYPE=wlan for Wi-Fi) and, failing
// that, by the predictable interface names (wl*, en*, eth*). Bridges,
// containers' and VPNs' interfaces are left out.
func linuxKind(name string, read Reader) string {
	if data, err := read("/sys/class/net/" + name + "/uevent"); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			switch strings.TrimSpace(l) {
			case "DEVTYPE=wlan":
				return WiFi
			case "DEVTYPE=bridge", "DEVTYPE=vlan", "DEVTYPE=wireguard", "DEVTYPE=bond":
				return ""
			}
		}
	}
	switch {
	case strings.HasPrefix(name, "wl"):
		return WiFi
	case strings.HasPrefix(name, "en"), strings.HasPrefix(name, "eth"):
		return Ethernet
	}
	return ""
}

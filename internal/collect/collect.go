// Package collect reads what a computer can tell about itself for a
// monthly report: the OS name, version and build, and the MAC addresses of
// its Wi-Fi and Ethernet interfaces, marking the locally administered
// (private, randomised) ones. It runs the platform's own commands through
// an injected Runner and parses their output; it sends nothing anywhere.
package collect

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Runner runs a command and returns its standard output.
type Runner func(ctx context.Context, name string, args ...string) ([]byte, error)

// Reader reads a file of the local system.
type Reader func(path string) ([]byte, error)

// Interface kinds.
const (
	WiFi     = "wifi"
	Ethernet = "ethernet"
)

// Interface is one network interface with a MAC address.
type Interface struct {
	Name string
	Kind string // WiFi or Ethernet
	MAC  string // the address in use, aa:bb:cc:dd:ee:ff
	// Local is set for a locally administered address: a private or
	// randomised one rather than the hardware's.
	Local bool
	// Hardware is the burned-in address when the system shows one that
	// differs from MAC.
	Hardware string
}

// Info is what a machine reports about itself.
type Info struct {
	Platform   string // posture's name: windows, macos or linux
	OSName     string // linux: the distribution's id, e.g. ubuntu
	OSVersion  string
	OSBuild    string
	Interfaces []Interface
}

// ErrUnsupported is returned for a system posture cannot read itself; the
// report's fields are then copied from its settings by hand.
var ErrUnsupported = errors.New("unsupported system")

// Collect reads the system goos (runtime.GOOS) through run and read.
func Collect(ctx context.Context, goos string, run Runner, read Reader) (*Info, error) {
	var info *Info
	var err error
	switch goos {
	case "linux":
		info, err = linux(ctx, run, read)
	case "darwin":
		info, err = macos(ctx, run)
	case "windows":
		info, err = windows(ctx, run)
	default:
		return nil, fmt.Errorf("%w %q: copy the OS version and Wi-Fi address from the device's settings", ErrUnsupported, goos)
	}
	if err != nil {
		return nil, err
	}
	sort.SliceStable(info.Interfaces, func(i, j int) bool {
		a, b := info.Interfaces[i], info.Interfaces[j]
		if a.Kind != b.Kind {
			return a.Kind == WiFi
		}
		return a.Name < b.Name
	})
	return info, nil
}

// WiFiMAC returns the address the first Wi-Fi interface uses, or "".
func (i *Info) WiFiMAC() string {
	for _, n := range i.Interfaces {
		if n.Kind == WiFi {
			return n.MAC
		}
	}
	return ""
}

// add appends an interface with a well-formed address; others are skipped.
func (i *Info) add(name, kind, mac, hardware string) {
	m, ok := NormalizeMAC(mac)
	if !ok || m == "00:00:00:00:00:00" {
		return
	}
	n := Interface{Name: name, Kind: kind, MAC: m, Local: LocallyAdministered(m)}
	if h, ok := NormalizeMAC(hardware); ok && h != m {
		n.Hardware = h
	}
	i.Interfaces = append(i.Interfaces, n)
}

// NormalizeMAC writes a MAC address given with colons, dashes or dots, in
// any case, as aa:bb:cc:dd:ee:ff. ok is false when s is not one.
func NormalizeMAC(s string) (string, bool) {
	hex := strings.Map(func(r rune) rune {
		switch r {
		case ':', '-', '.':
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(s)))
	if len(hex) != 12 {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < 12; i += 2 {
		if _, err := strconv.ParseUint(hex[i:i+2], 16, 8); err != nil {
			return "", false
		}
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(hex[i : i+2])
	}
	return b.String(), true
}

// LocallyAdministered reports whether a normalised address has the
// locally administered bit (the second-lowest bit of the first octet) set.
func LocallyAdministered(mac string) bool {
	if len(mac) < 2 {
		return false
	}
	b, err := strconv.ParseUint(mac[:2], 16, 8)
	return err == nil && b&0x02 != 0
}

// run runs a command and says which one failed.
func runText(ctx context.Context, run Runner, name string, args ...string) (string, error) {
	out, err := run(ctx, name, args...)
	if err != nil {
		return "", fmt.Errorf("run %s: %w", strings.Join(append([]string{name}, args...), " "), err)
	}
	return strings.ReplaceAll(string(out), "\r\n", "\n"), nil
}

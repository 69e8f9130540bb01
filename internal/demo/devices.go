package demo

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// device is a device of the demo and what it runs over the year.
type device struct {
	ID, Owner, Ownership, Type, Platform, OSName, Model string
	// table is the OS support table of the platform (and distribution).
	table []osEntry
	// entry is the index in table of the OS the device runs now.
	entry int
	// registeredOS is the version it was registered with, registeredOn
	// the day (set when the plan registers it).
	registeredOS, registeredOn string
	macs                       []mac
	// registers is the month IT or the owner registers it (-1: the set-up).
	registers int
	// retires is the month it breaks (0: never); the retirement is recorded
	// with its replacement, on the first day of the next month.
	retires int
	// stuck devices cannot upgrade: an exception covers them.
	stuck bool
}

// mac is one registered Wi-Fi address.
type mac struct {
	Addr, Kind string
	// reported is the address the device reports.
	reported bool
}

// antivirus is the product each platform reports.
var antivirus = map[string]string{
	"windows": "Microsoft Defender Antivirus",
	"macos":   "ESET Endpoint Security",
	"linux":   "Microsoft Defender for Endpoint",
	"android": "Google Play Protect",
	"ios":     "not_applicable",
	"ipados":  "not_applicable",
}

// deviceSpec is one line of the demo's device list.
type deviceSpec struct {
	owner, suffix, ownership, kind, platform, model string
	registers, pref                                 int
}

// The demo's devices; owner "@admin" is the IT admin. The devices of the
// month of a scenario (the phone of e1002 in month 1, ...) arrive then.
var deviceList = []deviceSpec{
	{"e1001", "laptop", "corporate", "laptop", "macos", "MacBook Pro (14-inch, M4, 2024)", -1, 1},
	{"e1001", "phone", "corporate", "phone", "ios", "iPhone 16 Pro", -1, 1},
	{"e1002", "laptop", "corporate", "laptop", "windows", "Lenovo ThinkPad T14 Gen 5", -1, 0},
	{"e1002", "phone", "byod", "phone", "ios", "iPhone 15", 1, 0},
	{"e1003", "laptop", "corporate", "laptop", "windows", "Dell Latitude 7450", -1, 1},
	{"e1004", "laptop", "byod", "laptop", "", "", -1, 0}, // the stuck one
	{"e1005", "laptop", "corporate", "laptop", "windows", "HP EliteBook 840 G11", -1, 0},
	{"e1005", "phone", "byod", "phone", "android", "Google Pixel 8", -1, 1},
	{"e1006", "laptop", "corporate", "laptop", "macos", "MacBook Pro (16-inch, M3 Pro, 2023)", -1, 1},
	{"e1006", "tablet", "corporate", "tablet", "ipados", "iPad Air (M2)", 2, 1},
	{"e1007", "laptop", "corporate", "laptop", "linux", "Framework Laptop 13", -1, 1},
	{"e1008", "laptop", "corporate", "laptop", "windows", "Dell XPS 13 9340", -1, 1},
	{"e1009", "laptop", "corporate", "laptop", "windows", "Dell Latitude 5440", -1, 0},
	{"e1009", "laptop-2", "corporate", "laptop", "windows", "Dell Latitude 7450", retireMonth + 1, 1},
	{"e1010", "laptop", "corporate", "laptop", "macos", "MacBook Air (13-inch, M3, 2024)", -1, 0},
	{"e1011", "laptop", "corporate", "laptop", "windows", "Lenovo ThinkPad T14 Gen 5", newHireMonth, 1},
	{"e1012", "laptop", "corporate", "laptop", "windows", "Microsoft Surface Laptop 7", -1, 0},
	{"e1012", "phone", "byod", "phone", "android", "Samsung Galaxy S24", 3, 1},
	{adminRef, "laptop", "corporate", "laptop", "windows", "Lenovo ThinkPad X1 Carbon Gen 12", -1, 1},
	{adminRef, "phone", "corporate", "phone", "ios", "iPhone 16", -1, 1},
}

// The months of the scenarios.
const (
	retireMonth = 6 // e1009's laptop breaks
	failMonth   = 3 // e1003's first report fails and is fixed
	directMonth = 5 // e1010 pushes a report straight to main
	lateMonth   = 7 // e1008 reports after the due day
	threatMonth = 8 // e1005's antivirus finds (and removes) a threat
)

// stuckModel is the model of the laptop that cannot upgrade, by platform.
var stuckModel = map[string]string{"macos": "MacBook Air (Retina, 13-inch, 2019)", "windows": "Lenovo ThinkPad X390 (2019)"}

// castDevices makes the demo's devices. stuck is the OS the stuck laptop
// stays on; registration days are given by day(month).
func castDevices(o *org, rng *rand.Rand, stuck stuckOS, regDay func(month int) time.Time) ([]*device, error) {
	used := map[string]bool{}
	var out []*device
	for _, s := range deviceList {
		owner := s.owner
		if owner == adminRef {
			owner = o.admin.ID
		}
		d := &device{ID: "d-" + owner + "-" + s.suffix, Owner: owner, Ownership: s.ownership, Type: s.kind,
			Platform: s.platform, Model: s.model, registers: s.registers}
		if s.platform == "" {
			d.Platform, d.Model, d.stuck = stuck.platform, stuckModel[stuck.platform], true
		}
		if d.Platform == "linux" {
			if o.config.tables["linux/ubuntu"] == nil {
				d.Platform, d.Model = "windows", "Dell XPS 13 9340"
			} else {
				d.OSName = "ubuntu"
			}
		}
		if d.ID == "d-e1009-laptop" {
			d.retires = retireMonth
		}
		key := d.Platform
		if d.OSName != "" {
			key += "/" + d.OSName
		}
		d.table = o.config.tables[key]
		if d.stuck {
			d.entry = stuck.entry
		} else {
			i, ok := pick(d.table, regDay(d.registers), s.pref)
			if !ok {
				return nil, fmt.Errorf("%s has no %s version supported on %s; add current releases to the OS table (or run posture upgrade)",
					configPath, key, dateOf(regDay(d.registers)))
			}
			d.entry = i
		}
		d.registeredOS = d.table[d.entry].version(d.Platform)
		d.macs = macsFor(d, rng, used)
		out = append(out, d)
	}
	return out, nil
}

// macsFor makes a device's Wi-Fi addresses: laptops their hardware
// address (Macs also a fixed private one, which they report), phones and
// tablets a fixed private address.
func macsFor(d *device, rng *rand.Rand, used map[string]bool) []mac {
	addr := func(first byte, oui ...byte) string {
		for {
			b := []byte{first, 0, 0, byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256))}
			if len(oui) == 2 {
				b[1], b[2] = oui[0], oui[1]
			} else {
				b[1], b[2] = byte(rng.IntN(256)), byte(rng.IntN(256))
			}
			s := fmt.Sprintf("%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5])
			if !used[s] {
				used[s] = true
				return s
			}
		}
	}
	// Locally administered, unicast first octets for private addresses.
	private := []byte{0x6e, 0xda, 0x3a, 0x9e, 0xf2, 0x12}
	switch d.Type {
	case "phone", "tablet":
		return []mac{{Addr: addr(private[rng.IntN(len(private))]), Kind: "private_fixed", reported: true}}
	}
	ouis := [][3]byte{{0x3c, 0xa6, 0xf6}, {0x48, 0x51, 0xc5}, {0xa4, 0x83, 0xe7}, {0x8c, 0x85, 0x90}, {0xf4, 0x26, 0x79}}
	o := ouis[rng.IntN(len(ouis))]
	hw := mac{Addr: addr(o[0], o[1], o[2]), Kind: "burned_in", reported: true}
	if d.Platform != "macos" {
		return []mac{hw}
	}
	hw.reported = false
	return []mac{hw, {Addr: addr(private[rng.IntN(len(private))]), Kind: "private_fixed", reported: true}}
}

// reportedMAC is the address d reports.
func (d *device) reportedMAC() string {
	for _, m := range d.macs {
		if m.reported {
			return m.Addr
		}
	}
	return d.macs[0].Addr
}

// osAt returns the version d runs on day, upgrading it first when its
// version leaves support within a month (never for a stuck device).
func (d *device) osAt(day time.Time) (string, error) {
	if !d.stuck {
		i, ok := upgrade(d.table, d.entry, day)
		if !ok {
			return "", fmt.Errorf("%s has no %s version supported on %s; add current releases to the OS table (or run posture upgrade)",
				configPath, d.Platform, dateOf(day))
		}
		d.entry = i
	}
	return d.table[d.entry].version(d.Platform), nil
}

// stuckOS is the OS version the stuck laptop stays on.
type stuckOS struct {
	platform string
	entry    int
	end      time.Time // its last day of support, at 00:00
}

// findStuck picks an OS version for the laptop that cannot upgrade and the
// exception that covers it: one that leaves support between from and to
// (macOS first, then Windows), or else the one that left support last
// before from, so that the demo has its exception whatever the date.
func findStuck(c config, from, to time.Time) (stuckOS, error) {
	var last stuckOS
	for _, p := range []string{"macos", "windows"} {
		for i, e := range c.tables[p] {
			end, err := time.ParseInLocation(time.DateOnly, e.End, from.Location())
			switch {
			case err != nil:
			case !end.Before(from) && end.Before(to):
				return stuckOS{platform: p, entry: i, end: end}, nil
			case end.Before(from) && end.After(last.end):
				last = stuckOS{platform: p, entry: i, end: end}
			}
		}
	}
	if last.platform != "" {
		return last, nil
	}
	return stuckOS{}, fmt.Errorf("the OS table in %s has no macOS or Windows version out of support before %s; the demo's exception covers a laptop stuck on one",
		configPath, dateOf(to))
}

package demo

import (
	"fmt"
	"slices"
	"strings"
	"testing/fstest"
	"time"

	"gopkg.in/yaml.v3"
)

// config is what the demo needs of policies/config/data.yaml: the limits
// its reports keep within, the corporate SSID and the OS support tables.
type config struct {
	Thresholds struct {
		FullScan       int `yaml:"full_scan_max_days"`
		QuickScan      int `yaml:"quick_scan_max_days"`
		Signatures     int `yaml:"signatures_max_days"`
		SignaturesWarn int `yaml:"signatures_warn_days"`
		ScreenLock     int `yaml:"screen_lock_max_minutes"`
		Patch          int `yaml:"patch_max_days"`
	} `yaml:"thresholds"`
	SSIDs []string `yaml:"corporate_ssids"`
	// tables by platform, and by "linux/<distribution>".
	tables map[string][]osEntry
}

// osEntry is one line of an OS support table.
type osEntry struct {
	Name  string `yaml:"name"`
	Min   string `yaml:"min"`
	Below string `yaml:"below"`
	// End is the last day of support, "" while the vendor supports it.
	End string `yaml:"end_of_support"`
}

func parseConfig(f *fstest.MapFile) (config, error) {
	var c config
	var raw struct {
		OS map[string]yaml.Node `yaml:"os_support"`
	}
	if err := yaml.Unmarshal(f.Data, &c); err != nil {
		return c, fmt.Errorf("read %s: %w", configPath, err)
	}
	if err := yaml.Unmarshal(f.Data, &raw); err != nil {
		return c, fmt.Errorf("read %s: %w", configPath, err)
	}
	th := &c.Thresholds
	for _, d := range []struct {
		v   *int
		def int
	}{{&th.FullScan, 35}, {&th.QuickScan, 7}, {&th.Signatures, 7}, {&th.SignaturesWarn, 3}, {&th.ScreenLock, 15}, {&th.Patch, 90}} {
		if *d.v <= 0 {
			*d.v = d.def
		}
	}
	if len(c.SSIDs) == 0 {
		return c, fmt.Errorf("%s lists no corporate_ssids; the demo's devices register their Wi-Fi addresses for one", configPath)
	}
	c.tables = map[string][]osEntry{}
	platforms := make([]string, 0, len(raw.OS))
	for p := range raw.OS {
		platforms = append(platforms, p)
	}
	slices.Sort(platforms)
	for _, p := range platforms {
		n := raw.OS[p]
		if p == "linux" {
			var distros map[string][]osEntry
			if err := n.Decode(&distros); err != nil {
				return c, fmt.Errorf("read os_support.linux of %s: %w", configPath, err)
			}
			for d, t := range distros {
				c.tables["linux/"+strings.ToLower(d)] = sortTable(t)
			}
			continue
		}
		var t []osEntry
		if err := n.Decode(&t); err != nil {
			return c, fmt.Errorf("read os_support.%s of %s: %w", p, configPath, err)
		}
		c.tables[p] = sortTable(t)
	}
	return c, nil
}

// sortTable orders a table by version, dropping entries without a valid
// minimum.
func sortTable(t []osEntry) []osEntry {
	t = slices.DeleteFunc(slices.Clone(t), func(e osEntry) bool { return versionKey(e.Min) == "" })
	slices.SortStableFunc(t, func(a, b osEntry) int { return strings.Compare(versionKey(a.Min), versionKey(b.Min)) })
	return t
}

// versionKey is the policies' lib.version_key: six components, each
// padded to nine digits; "" for a version they would reject.
func versionKey(v string) string {
	parts := strings.Split(v, ".")
	if v == "" || len(parts) > 6 {
		return ""
	}
	for len(parts) < 6 {
		parts = append(parts, "0")
	}
	for i, p := range parts {
		if p == "" || len(p) > 9 || strings.Trim(p, "0123456789") != "" {
			return ""
		}
		parts[i] = fmt.Sprintf("%09s", p)
	}
	return strings.Join(parts, ".")
}

// endedBy reports whether e is out of support on day (YYYY-MM-DD), as
// os.supported judges it: its last day is before day.
func (e osEntry) endedBy(day string) bool { return e.End != "" && e.End < day }

// version is the version a device shows on entry e: the entry's minimum,
// with a minor release added where the vendor counts majors alone.
func (e osEntry) version(platform string) string {
	v := e.Min
	if (platform == "macos" || platform == "ios" || platform == "ipados") && !strings.Contains(v, ".") {
		v += ".1"
	}
	if k := versionKey(v); e.Below != "" && k >= versionKey(e.Below) {
		return e.Min
	}
	return v
}

// pick returns the index of the entry of table a device registered on day
// runs: the pref-th (0 or 1) of the versions that stay supported for two
// months more, so that devices start on the current release or the one
// before it. ok is false when none does.
func pick(table []osEntry, day time.Time, pref int) (int, bool) {
	var cands []int
	for i, e := range table {
		if !e.endedBy(dateOf(day.AddDate(0, 2, 0))) {
			cands = append(cands, i)
		}
	}
	if len(cands) == 0 {
		return 0, false
	}
	return cands[min(pref, len(cands)-1, 1)], true
}

// upgrade returns the entry a device on table[i] runs on day: the same
// while it stays supported for a month more, else the next one that
// does, else the same while it lasts. ok is false when nothing is
// supported on day.
func upgrade(table []osEntry, i int, day time.Time) (int, bool) {
	soon := dateOf(day.AddDate(0, 1, 0))
	if !table[i].endedBy(soon) {
		return i, true
	}
	for j := i + 1; j < len(table); j++ {
		if !table[j].endedBy(soon) {
			return j, true
		}
	}
	return i, !table[i].endedBy(dateOf(day)) // nothing newer: stay while it lasts
}

// dateOf is t's calendar date in t's location.
func dateOf(t time.Time) string { return t.Format(time.DateOnly) }

package equiv

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Data builds the one data document of the equivalent policy set from a
// posture organisation: the devices by id (platform, os_name, wifi_macs),
// posture's OS support table and full-scan limit from policies/config/data.yaml,
// and the reference date that posture uses for the reports.
func Data(org, refDate string) (map[string]any, error) {
	b, err := os.ReadFile(filepath.Join(org, "policies", "config", "data.yaml"))
	if err != nil {
		return nil, fmt.Errorf("read the policy data: %w", err)
	}
	cfg, err := Decode(b)
	if err != nil {
		return nil, fmt.Errorf("parse policies/config/data.yaml: %w", err)
	}
	c, _ := cfg.(map[string]any)
	th, _ := c["thresholds"].(map[string]any)
	if c["os_support"] == nil || th["full_scan_max_days"] == nil {
		return nil, fmt.Errorf("policies/config/data.yaml has no os_support or thresholds.full_scan_max_days")
	}
	devices, err := devices(filepath.Join(org, "devices"))
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"ref_date":           refDate,
		"full_scan_max_days": th["full_scan_max_days"],
		"os_support":         c["os_support"],
		"devices":            devices,
	}, nil
}

func devices(dir string) (map[string]any, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read the devices: %w", err)
	}
	out := make(map[string]any, len(entries))
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		v, err := Decode(b)
		if err != nil {
			return nil, fmt.Errorf("parse devices/%s: %w", e.Name(), err)
		}
		d, _ := v.(map[string]any)
		id, ok := d["id"].(string)
		if !ok {
			id = strings.TrimSuffix(e.Name(), ".yaml")
		}
		dev := map[string]any{"platform": d["platform"], "wifi_macs": d["wifi_macs"]}
		if name, ok := d["os_name"]; ok {
			dev["os_name"] = name
		}
		out[id] = dev
	}
	return out, nil
}

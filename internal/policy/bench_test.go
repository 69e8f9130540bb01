package policy

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
)

// benchData generates a registry of n people and n devices and one report
// per device, a tenth of them with an old full scan.
func benchData(n int) (map[string]any, []Input) {
	platforms := []string{"windows", "macos", "ios", "android", "linux"}
	versions := map[string]string{"windows": "10.0.26200", "macos": "15.7.2", "ios": "26.1", "android": "16", "linux": "24.04"}
	people, devices := map[string]any{}, map[string]any{}
	inputs := make([]Input, 0, n)
	for i := range n {
		person, id := fmt.Sprintf("p-%04d", i), fmt.Sprintf("d-%04d", i)
		platform := platforms[i%len(platforms)]
		mac := fmt.Sprintf("00:1b:21:00:%02x:%02x", i/256, i%256)
		people[person] = map[string]any{"id": person, "github": person, "active": true, "role": "employee"}
		devices[id] = map[string]any{
			"id": id, "owner": person, "platform": platform, "os_name": "ubuntu", "os_version": versions[platform],
			"status": "active", "registered": "2026-01-10",
			"wifi_macs": []any{map[string]any{"mac": mac, "kind": "burned_in", "ssid": "CORP-WIFI"}},
		}
		full := "2026-11-01"
		if i%10 == 0 {
			full = "2026-08-01"
		}
		rec := map[string]any{
			"period": "2026-11", "device": id, "reporter": person, "os_version": versions[platform],
			"antivirus": "Defender", "real_time_protection": true, "signatures_updated": "2026-11-21",
			"last_quick_scan": "2026-11-21", "last_full_scan": full, "security_patch": "2026-11-05",
			"threats_found": json.Number("0"), "threats_resolved": json.Number("0"),
			"disk_encryption": true, "screen_lock_minutes": json.Number("5"), "jailbroken": false, "wifi_mac": mac,
			"evidence": []any{map[string]any{"path": "evidence/scan.png", "sha256": "00"}},
		}
		if platform == "ios" {
			rec = map[string]any{
				"period": "2026-11", "device": id, "reporter": person, "os_version": versions[platform],
				"antivirus": "not_applicable", "disk_encryption": true, "screen_lock_minutes": json.Number("1"),
				"jailbroken": false, "wifi_mac": mac,
			}
		}
		inputs = append(inputs, Input{Kind: "report", Path: "reports/2026-11/" + id + ".yaml", RefDate: refDate, Record: rec})
	}
	return map[string]any{"registry": map[string]any{"people": people, "devices": devices}}, inputs
}

func BenchmarkEval(b *testing.B) {
	e, err := Load(shipped(b, nil), policyDir)
	if err != nil {
		b.Fatal(err)
	}
	data, inputs := benchData(1000)
	p, err := e.Prepare(context.Background(), data)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	failed := 0
	for _, in := range inputs {
		vs, err := p.Eval(ctx, in)
		if err != nil {
			b.Fatal(err)
		}
		if len(vs) > 0 {
			failed++
		}
	}
	if failed != len(inputs)/10 {
		b.Fatalf("%d of %d generated reports have violations, want %d", failed, len(inputs), len(inputs)/10)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := p.Eval(ctx, inputs[i%len(inputs)]); err != nil {
			b.Fatal(err)
		}
	}
}

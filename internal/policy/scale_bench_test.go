package policy

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkDeviceMACs evaluates the policies on one device record of n
// Wi-Fi addresses, straight from Go values: record.MaxNodes refuses such a
// file before the policies see it, but their cost must still be linear in
// the record's size. The device is registered with all of its addresses,
// and one in a hundred is registered to another active device too.
func BenchmarkDeviceMACs(b *testing.B) {
	e, err := Load(shipped(b, nil), policyDir)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{2_000, 20_000} {
		b.Run(fmt.Sprintf("macs=%d", n), func(b *testing.B) {
			macs := make([]any, n)
			for i := range macs {
				macs[i] = map[string]any{"mac": fmt.Sprintf("00:1b:21:%02x:%02x:%02x", byte(i>>16), byte(i>>8), byte(i)), "kind": "burned_in", "ssid": "CORP-WIFI"}
			}
			device := func(id string, macs []any) map[string]any {
				return map[string]any{"id": id, "owner": "p", "ownership": "byod", "type": "laptop", "platform": "windows",
					"model": "m", "os_version": "10.0.26200", "registered": "2026-01-10", "status": "active", "wifi_macs": macs}
			}
			devices := map[string]any{"d-many": device("d-many", macs)}
			for i := 0; i < n; i += 100 {
				id := fmt.Sprintf("d-other-%06d", i)
				devices[id] = device(id, macs[i:i+1])
			}
			people := map[string]any{"p": map[string]any{"id": "p", "github": "p", "active": true, "role": "employee"}}
			p, err := e.Prepare(context.Background(), map[string]any{"registry": map[string]any{"people": people, "devices": devices}})
			if err != nil {
				b.Fatal(err)
			}
			in := Input{Kind: "device", Path: "devices/d-many.yaml", RefDate: refDate, Record: device("d-many", macs)}
			var vs []Violation
			for b.Loop() {
				if vs, err = p.Eval(context.Background(), in); err != nil {
					b.Fatal(err)
				}
			}
			if len(vs) != n/100 {
				b.Fatalf("%d violations, want %d clashes", len(vs), n/100)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/mac")
		})
	}
}

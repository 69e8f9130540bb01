package audit

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/posture-dev/posture/internal/check"
)

// TestAuditCache audits the scenario's history without a cache, then twice
// with one (the first run fills it, the second finds every step of the
// history walk and every re-checked report there), then with its segments
// spoilt: every run writes the same audit.
func TestAuditCache(t *testing.T) {
	dir := scenario(t).Dir
	write := func(a *Audit) []byte {
		var buf bytes.Buffer
		if err := Write(&buf, "json", a); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	opts := Options{From: "2026-01", To: "2026-02"}
	want := write(runAudit(t, dir, opts))
	cacheDir := t.TempDir()
	withCache := func(name string) *check.Cache {
		t.Helper()
		c, err := check.OpenCache(cacheDir, "test", 0)
		if err != nil {
			t.Fatal(err)
		}
		o := opts
		o.Cache = c
		if got := write(runAudit(t, dir, o)); !bytes.Equal(got, want) {
			t.Errorf("%s: the audit differs from the one without a cache:\n%s", name, firstDiff(got, want))
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		return c
	}
	withCache("filling the cache")
	if c := withCache("from the cache"); c.Hits.Load() == 0 {
		t.Error("the second run found nothing in the cache")
	}
	segs, err := filepath.Glob(filepath.Join(cacheDir, "*"))
	if err != nil || len(segs) == 0 {
		t.Fatalf("no cache segments: %v", err)
	}
	for _, s := range segs {
		data, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		for i := len(data) / 3; i < len(data); i += 97 {
			data[i] ^= 0x20
		}
		if err := os.WriteFile(s, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	withCache("from a spoilt cache")
}

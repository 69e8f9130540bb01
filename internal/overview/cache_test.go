package overview

import (
	"bytes"
	"testing"

	"github.com/posture-dev/posture/internal/check"
)

// TestBuildCache builds the overview without a cache, then twice with one
// (the first run fills it with the history walk's steps and the reports'
// results, the second reads them back): every run writes the same JSON.
func TestBuildCache(t *testing.T) {
	dir, _ := organisation(t)
	opts := Options{InReview: map[string]int{"reports/2026-02/d5.yaml": 12}, RepoURL: "https://github.com/acme/device-reports"}
	write := func(o *Overview) []byte {
		var buf bytes.Buffer
		if err := Write(&buf, "json", o); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	want := write(build(t, dir, opts))
	cacheDir := t.TempDir()
	for _, name := range []string{"filling the cache", "from the cache"} {
		c, err := check.OpenCache(cacheDir, "test", 0)
		if err != nil {
			t.Fatal(err)
		}
		o := opts
		o.Cache = c
		if got := write(build(t, dir, o)); !bytes.Equal(got, want) {
			t.Errorf("%s: the overview differs from the one without a cache", name)
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		if name == "from the cache" && c.Hits.Load() == 0 {
			t.Error("the second run found nothing in the cache")
		}
	}
}

package check

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/posture-dev/posture/internal/cache"
	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/record"
)

// copyDir copies the folder from to to, links as links.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(dst, 0o755)
		case d.Type()&os.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(target, dst)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// cachedRun checks dir with the cache folder cacheDir, as one run of
// posture check does, and returns the result and the cache's counts.
func cachedRun(t *testing.T, dir, cacheDir string) (*Result, int64, int64) {
	t.Helper()
	c, err := OpenCache(cacheDir, "test", 0)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Full(context.Background(), Options{Dir: dir, Now: checkTime, Cache: c})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	return res, c.Hits.Load(), c.Misses.Load()
}

func uncachedRun(t *testing.T, dir string) *Result {
	t.Helper()
	res, err := Full(context.Background(), Options{Dir: dir, Now: checkTime})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func sameResult(t *testing.T, what string, got, want *Result) {
	t.Helper()
	if got.Checked != want.Checked || !reflect.DeepEqual(got.Rules, want.Rules) {
		t.Errorf("%s: checked %d files and %d rules, want %d and %d", what, got.Checked, len(got.Rules), want.Checked, len(want.Rules))
	}
	if !reflect.DeepEqual(got.Findings, want.Findings) {
		var g, w []string
		for _, f := range got.Findings {
			g = append(g, f.String())
		}
		for _, f := range want.Findings {
			w = append(w, f.String())
		}
		t.Errorf("%s: findings differ from a check without the cache\n--- got\n%s\n--- want\n%s", what, strings.Join(g, "\n"), strings.Join(w, "\n"))
	}
}

// spoilers damage a cache folder the ways a disk, a killed run or a
// person can. None may change a result.
var spoilers = []struct {
	name  string
	spoil func(t *testing.T, dir string)
	// misses is set when the spoilt entries are some of the tree's.
	misses bool
}{
	{"segments truncated", func(t *testing.T, dir string) {
		eachSegment(t, dir, func(b []byte) []byte { return b[:len(b)*2/3] })
	}, true},
	{"a byte flipped in each segment", func(t *testing.T, dir string) {
		eachSegment(t, dir, func(b []byte) []byte { b[len(b)/2] ^= 0x01; return b })
	}, true},
	{"each key holding another record's entry", func(t *testing.T, dir string) {
		s, err := cache.Open(dir, 0)
		if err != nil {
			t.Fatal(err)
		}
		var keys []cache.Key
		var values [][]byte
		s.Each(func(k cache.Key, v []byte) { keys, values = append(keys, k), append(values, v) })
		for i, k := range keys {
			s.Put(k, values[(i+1)%len(values)])
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}, true},
	{"a segment that is not one", func(t *testing.T, dir string) {
		if err := os.WriteFile(filepath.Join(dir, "9999999999999999999-x.seg"), []byte("posture-cache 1\nnot an entry\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}, false},
}

func eachSegment(t *testing.T, dir string, fn func([]byte) []byte) {
	t.Helper()
	segs, err := filepath.Glob(filepath.Join(dir, "*.seg"))
	if err != nil || len(segs) == 0 {
		t.Fatalf("no segments in %s (%v)", dir, err)
	}
	for _, seg := range segs {
		data, err := os.ReadFile(seg)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(seg, fn(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCacheNeverChangesResults checks trees with a cache, cold, warm,
// spoilt and after changes to what decides the findings, and expects each
// time what a check without the cache finds.
func TestCacheNeverChangesResults(t *testing.T) {
	trees := []struct {
		name string
		make func(t *testing.T) string
		// changes edit the tree; each names a file to edit and how
		changes []struct{ name, path, old, new string }
	}{
		{name: "testdata/bad, no history", make: func(t *testing.T) string {
			dir := t.TempDir()
			copyDir(t, "../../testdata/bad", dir)
			return dir
		}, changes: []struct{ name, path, old, new string }{
			{"a report", "reports/2026-11/scan-old.yaml", "2026-", "2025-"},
			{"a person", "people/e2.yaml", "active: true", "active: false"},
		}},
		{name: "testdata/ok, committed", make: func(t *testing.T) string {
			r := newTestRepo(t, time.Date(2026, 11, 9, 1, 0, 0, 0, time.UTC))
			r.Edit(winReport, "threats_resolved: 1", "threats_resolved: 0")
			return r.Dir
		}, changes: []struct{ name, path, old, new string }{
			{"an evidence file", "reports/2026-11/evidence/d-win-defender.txt", "", "edited\n"},
			{"a device", "devices/d-win.yaml", "status: active", "status: retired"},
			{"the policy data", "policies/config/data.yaml", "full_scan_max_days: 35", "full_scan_max_days: 20"},
		}},
	}
	for _, tree := range trees {
		t.Run(tree.name, func(t *testing.T) {
			dir, cacheDir := tree.make(t), t.TempDir()
			want := uncachedRun(t, dir)
			if len(want.Findings) == 0 {
				t.Fatal("the tree must have findings for the cache to keep")
			}
			res, hits, misses := cachedRun(t, dir, cacheDir)
			sameResult(t, "cold", res, want)
			if hits != 0 || misses == 0 {
				t.Errorf("cold: %d hits, %d misses", hits, misses)
			}
			res, hits, misses = cachedRun(t, dir, cacheDir)
			sameResult(t, "warm", res, want)
			if misses != 0 || hits != int64(want.Checked) {
				t.Errorf("warm: %d hits, %d misses; want every one of the %d records a hit", hits, misses, want.Checked)
			}
			for _, sp := range spoilers {
				spoilt := t.TempDir()
				copyDir(t, cacheDir, spoilt)
				sp.spoil(t, spoilt)
				res, _, misses := cachedRun(t, dir, spoilt)
				sameResult(t, sp.name, res, want)
				if sp.misses && misses == 0 {
					t.Errorf("%s: every record was a hit", sp.name)
				}
			}
			for _, ch := range tree.changes {
				p := filepath.Join(dir, ch.path)
				data, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				edited := strings.Replace(string(data), ch.old, ch.new, 1)
				if ch.old == "" {
					edited = ch.new
				}
				if edited == string(data) {
					t.Fatalf("%s: %q is not in %s", ch.name, ch.old, ch.path)
				}
				if err := os.WriteFile(p, []byte(edited), 0o644); err != nil {
					t.Fatal(err)
				}
				want := uncachedRun(t, dir)
				res, _, misses := cachedRun(t, dir, cacheDir)
				sameResult(t, "after changing "+ch.name, res, want)
				if misses == 0 {
					t.Errorf("after changing %s: every record was a hit", ch.name)
				}
				res, _, misses = cachedRun(t, dir, cacheDir)
				sameResult(t, "again after changing "+ch.name, res, want)
				if misses != 0 {
					t.Errorf("again after changing %s: %d misses", ch.name, misses)
				}
			}
		})
	}
}

// TestJudgeCache checks the records of testdata/bad with a judge and the
// cache, cold, warm and spoilt, and expects what the judge finds without.
func TestJudgeCache(t *testing.T) {
	ctx := context.Background()
	fsys := os.DirFS("../../testdata/bad")
	j, err := NewJudge(ctx, fsys)
	if err != nil {
		t.Fatal(err)
	}
	files, _, err := walk(fsys, nil)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, f.path)
	}
	refDate := func(p string) string {
		if record.PeriodOf(p) != "" {
			return "2026-11-10"
		}
		return "2026-11-20"
	}
	want, err := j.Check(ctx, fsys, paths, refDate)
	if err != nil {
		t.Fatal(err)
	}
	run := func(dir string) ([]finding.Finding, int64, int64) {
		c, err := OpenCache(dir, "test", 0)
		if err != nil {
			t.Fatal(err)
		}
		j.SetCache(c)
		defer j.SetCache(nil)
		got, err := j.Check(ctx, fsys, paths, refDate)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		return got, c.Hits.Load(), c.Misses.Load()
	}
	dir := t.TempDir()
	for _, pass := range []string{"cold", "warm"} {
		got, hits, misses := run(dir)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %d findings, want %d", pass, len(got), len(want))
		}
		if pass == "warm" && (misses != 0 || hits == 0) {
			t.Errorf("warm: %d hits, %d misses", hits, misses)
		}
	}
	for _, sp := range spoilers {
		spoilt := t.TempDir()
		copyDir(t, dir, spoilt)
		sp.spoil(t, spoilt)
		if got, _, _ := run(spoilt); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %d findings, want %d", sp.name, len(got), len(want))
		}
	}
}

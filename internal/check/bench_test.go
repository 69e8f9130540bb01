package check

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/posture-dev/posture/internal/synth"
)

// TestSyntheticAgreement checks a generated organisation and expects exactly
// the failures the generator planted.
func TestSyntheticAgreement(t *testing.T) {
	dir := t.TempDir()
	exp, err := synth.Generate(dir, synth.Options{Employees: 300, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Full(context.Background(), Options{Dir: dir, Now: checkTime})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range res.Findings {
		if prev, ok := got[f.File]; ok && prev != f.Rule {
			t.Errorf("%s fails %s and %s; want one rule", f.File, prev, f.Rule)
		}
		got[f.File] = f.Rule
	}
	for p, rule := range exp {
		if got[p] != rule {
			t.Errorf("%s: got %q, want %q", p, got[p], rule)
		}
	}
	if len(got) != len(exp) {
		t.Errorf("%d files fail, want %d", len(got), len(exp))
	}
}

func benchmarkFull(b *testing.B, n int) {
	dir := b.TempDir()
	if _, err := synth.Generate(dir, synth.Options{Employees: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		res, err := Full(context.Background(), Options{Dir: dir, Now: checkTime})
		if err != nil {
			b.Fatal(err)
		}
		if res.Checked != 3*n {
			b.Fatalf("checked %d", res.Checked)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/report")
}

// BenchmarkFull checks every record of a generated organisation: n people,
// n devices and n reports.
func BenchmarkFull(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("reports=%d", n), func(b *testing.B) { benchmarkFull(b, n) })
	}
}

// BenchmarkDiffOneFile checks a pull request that changes one report, on
// repositories of 10 and 10,000 reports: the work should follow the diff,
// not the repository.
func BenchmarkDiffOneFile(b *testing.B) {
	for _, n := range []int{10, 10000} {
		b.Run(fmt.Sprintf("reports=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			if _, err := synth.Generate(dir, synth.Options{Employees: n, Seed: 1}); err != nil {
				b.Fatal(err)
			}
			r := openBenchRepo(b, dir)
			r.Checkout("pr", true)
			p := "reports/2026-11/d-e000003.yaml"
			r.Write(p, r.Read(p)+"concerns: changed\n")
			r.Commit("change", prTime)
			b.ResetTimer()
			for range b.N {
				res, err := Diff(context.Background(), DiffOptions{Dir: dir, Base: "main", Head: "pr", Now: checkTime})
				if err != nil {
					b.Fatal(err)
				}
				if res.Checked != 1 {
					b.Fatalf("checked %d", res.Checked)
				}
			}
		})
	}
}

// openBenchRepo commits the folder's files to a new repository on main.
func openBenchRepo(b *testing.B, dir string) *testRepo {
	b.Helper()
	for _, src := range []string{"policies", "schemas"} {
		if err := os.CopyFS(filepath.Join(dir, src), os.DirFS(filepath.Join("../..", src))); err != nil {
			b.Fatal(err)
		}
	}
	os.RemoveAll(filepath.Join(dir, "policies", "exceptions"))
	r := initRepo(b, dir)
	r.Commit("seed", time.Date(2026, 11, 9, 1, 0, 0, 0, time.UTC))
	return r
}

// BenchmarkNamedFile checks one named report (posture check PATH) in Git
// repositories of 10 and 10,000 reports: the work should follow what the
// report needs (its device, its people, the exceptions, its own history),
// not the repository.
func BenchmarkNamedFile(b *testing.B) {
	for _, n := range []int{10, 10000} {
		b.Run(fmt.Sprintf("reports=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			if _, err := synth.Generate(dir, synth.Options{Employees: n, Seed: 1}); err != nil {
				b.Fatal(err)
			}
			openBenchRepo(b, dir)
			b.ResetTimer()
			for range b.N {
				res, err := Full(context.Background(), Options{Dir: dir, Paths: []string{"reports/2026-11/d-e000003.yaml"}, Now: checkTime})
				if err != nil {
					b.Fatal(err)
				}
				if res.Checked != 1 {
					b.Fatalf("checked %d", res.Checked)
				}
			}
		})
	}
}

// BenchmarkFullWarm checks a generated organisation of 10,000 employees
// again with the cache a first check filled: every record is found, and
// the check costs about what reading the files does.
func BenchmarkFullWarm(b *testing.B) {
	const n = 10000
	dir, cacheDir := b.TempDir(), b.TempDir()
	if _, err := synth.Generate(dir, synth.Options{Employees: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	check := func() *Cache {
		c, err := OpenCache(cacheDir, "bench", 0)
		if err != nil {
			b.Fatal(err)
		}
		res, err := Full(context.Background(), Options{Dir: dir, Now: checkTime, Cache: c})
		if err != nil {
			b.Fatal(err)
		}
		if res.Checked != 3*n {
			b.Fatalf("checked %d", res.Checked)
		}
		if err := c.Close(); err != nil {
			b.Fatal(err)
		}
		return c
	}
	check()
	b.ResetTimer()
	for range b.N {
		if c := check(); c.Misses.Load() != 0 {
			b.Fatalf("%d misses", c.Misses.Load())
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/report")
}

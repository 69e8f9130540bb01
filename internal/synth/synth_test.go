package synth

import (
	"os"
	"path/filepath"
	"testing"
)

func TestGenerate(t *testing.T) {
	dir := t.TempDir()
	exp, err := Generate(dir, Options{Employees: 400, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	reports, _ := filepath.Glob(filepath.Join(dir, "reports", "2026-11", "*.yaml"))
	people, _ := filepath.Glob(filepath.Join(dir, "people", "*.yaml"))
	if len(reports) != 400 || len(people) != 400 {
		t.Fatalf("got %d reports, %d people", len(reports), len(people))
	}
	byRule := map[string]int{}
	for _, r := range exp {
		byRule[r]++
	}
	for _, r := range []string{"scan.full_age", "os.supported", "mac.registered"} {
		if n := byRule[r]; n < 5 || n > 40 {
			t.Errorf("%d reports fail %s, want about 5%% of 400", n, r)
		}
	}
	again := t.TempDir()
	exp2, _ := Generate(again, Options{Employees: 400, Seed: 1})
	if len(exp2) != len(exp) {
		t.Error("the same seed made a different organisation")
	}
	if _, err := os.Stat(filepath.Join(dir, "posture.yaml")); err != nil {
		t.Error(err)
	}
}

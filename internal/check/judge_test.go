package check

import (
	"context"
	"os"
	"slices"
	"testing"
)

func TestJudge(t *testing.T) {
	ctx := context.Background()
	fsys := os.DirFS("../../testdata/bad")
	j, err := NewJudge(ctx, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if j.People()["e2"] == nil || j.Devices()["scan-old"] == nil || len(j.Exceptions()) != 4 || len(j.Rules()) < 30 {
		t.Fatalf("judge lacks the registry: %d people, %d devices, %d exceptions", len(j.People()), len(j.Devices()), len(j.Exceptions()))
	}
	at := func(date string) func(string) string { return func(string) string { return date } }
	// The same report passes on the day it was accepted and fails a month on.
	fs, err := j.Check(ctx, fsys, []string{"reports/2026-11/mac-foreign.yaml", "README.md"}, at("2026-11-10"))
	if err != nil {
		t.Fatal(err)
	}
	if got := rules(fs); !slices.Equal(got, []string{"reports/2026-11/mac-foreign.yaml mac.registered"}) {
		t.Errorf("on the due day: %q", got)
	}
	fs, err = j.Check(ctx, fsys, []string{"reports/2026-11/mac-foreign.yaml"}, at("2026-12-20"))
	if err != nil {
		t.Fatal(err)
	}
	if got := rules(fs); !slices.Contains(got, "reports/2026-11/mac-foreign.yaml scan.quick_age") {
		t.Errorf("a month on: %q", got)
	}
	// Exceptions of the judge's tree apply: hygiene's screen lock is excepted.
	fs, err = j.Check(ctx, fsys, []string{"reports/2026-11/hygiene.yaml"}, at("2026-11-10"))
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(rules(fs), "reports/2026-11/hygiene.yaml device.screen_lock") {
		t.Errorf("the exception did not apply: %v", fs)
	}
}

package check

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/finding"
)

// TestUnreadablePersonIsNotUnregistered: a report whose reporter's file
// cannot be parsed is told so, not that the reporter is not registered.
func TestUnreadablePersonIsNotUnregistered(t *testing.T) {
	r := newTestRepo(t, seedTime)
	r.Write("people/e2.yaml", "github: [eita-e\n")
	res, err := Full(context.Background(), Options{Dir: r.Dir, Now: prNow})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if strings.Contains(f.Message, "is not a registered person") {
			t.Errorf("misleading finding: %v", f)
		}
	}
	if !slices.ContainsFunc(res.Findings, func(f finding.Finding) bool {
		return f.File == winReport && f.Rule == ruleRead && strings.Contains(f.Message, `reporter "e2" is people/e2.yaml, which could not be read`)
	}) {
		t.Errorf("no finding on %s says that e2's file could not be read: %v", winReport, res.Findings)
	}
}

// TestUnreadableHistory: a clone whose objects are gone stops the check
// with what could not be read, instead of judging accepted reports by a
// date that is not theirs.
func TestUnreadableHistory(t *testing.T) {
	r := newTestRepo(t, seedTime)
	objects := filepath.Join(r.Dir, ".git", "objects")
	if err := os.RemoveAll(objects); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(objects, 0o755); err != nil {
		t.Fatal(err)
	}
	res, err := Full(context.Background(), Options{Dir: r.Dir, Now: prNow})
	if err == nil || !strings.Contains(err.Error(), "could not read the Git history") {
		t.Fatalf("Full = %v, %v; want an error saying the history could not be read", res, err)
	}
}

// TestUnbornHead: in a repository with nothing committed yet, every record
// is new and judged today, not on a due day.
func TestUnbornHead(t *testing.T) {
	r := initRepo(t, t.TempDir())
	r.copyTree("../../testdata/ok", "")
	r.copyDefaults()
	res, err := Full(context.Background(), Options{Dir: r.Dir, Now: prNow})
	if err != nil {
		t.Fatal(err)
	}
	if deny, _ := finding.Count(res.Findings); deny > 0 {
		t.Errorf("uncommitted testdata/ok judged on %s: %v", prNow, res.Findings)
	}
}

package check

import (
	"context"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/posture-dev/posture/internal/finding"
)

var update = flag.Bool("update", false, "rewrite the .out files beside testdata/bad")

// checkTime is the fixed time of the testdata checks: 2026-11-20 noon in
// Tokyo. Testdata folders have no Git history of their own, so their reports
// are judged on their period's due day and everything else on this day.
var checkTime = time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)

func TestTestdataOK(t *testing.T) {
	res, err := Full(context.Background(), Options{Dir: "../../testdata/ok", Now: checkTime})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		t.Errorf("testdata/ok must stay clean: %s", f)
	}
	if res.Checked < 10 {
		t.Errorf("checked %d files, want the whole of testdata/ok", res.Checked)
	}
}

// TestTestdataBad checks testdata/bad and compares each file's findings with
// the .out file beside it: a file with findings needs one, and a file
// without findings must have none.
func TestTestdataBad(t *testing.T) {
	root := "../../testdata/bad"
	res, err := Full(context.Background(), Options{Dir: root, Now: checkTime})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, f := range res.Findings {
		got[outFile(f.File)] = append(got[outFile(f.File)], line(f))
	}
	want := map[string]string{}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".out") {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			want[filepath.ToSlash(rel)] = string(data)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		for out := range want {
			if _, ok := got[out]; !ok {
				os.Remove(filepath.Join(root, out))
			}
		}
		for out, lines := range got {
			if err := os.WriteFile(filepath.Join(root, out), []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	var outs []string
	for out := range got {
		outs = append(outs, out)
	}
	sort.Strings(outs)
	for _, out := range outs {
		text := strings.Join(got[out], "\n") + "\n"
		if want[out] != text {
			t.Errorf("%s: findings differ (go test ./internal/check -run TestTestdataBad -update rewrites it)\n--- got\n%s--- want\n%s", out, text, want[out])
		}
		delete(want, out)
	}
	for out := range want {
		t.Errorf("%s expects findings, but the check found none", out)
	}
}

// TestDemoOrganisation checks the repository's own demo data, with its Git
// history, as `posture check` does in CI.
func TestDemoOrganisation(t *testing.T) {
	res, err := Full(context.Background(), Options{Dir: "../..", Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if deny, _ := finding.Count(res.Findings); deny > 0 {
		t.Errorf("the demo organisation has findings:\n%v", res.Findings)
	}
	if res.Checked < 50 {
		t.Errorf("checked %d files, want all the demo records", res.Checked)
	}
}

func outFile(p string) string {
	return strings.TrimSuffix(p, filepath.Ext(p)) + ".out"
}

func line(f finding.Finding) string {
	if f.Severity == finding.Warn {
		f.Message = "warning: " + f.Message
	}
	return f.String()
}

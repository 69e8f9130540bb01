package check

import (
	"context"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/record"
)

// TestNamedAgreesWithWhole checks every record of testdata/bad by name, and
// each folder, and expects the findings the check of the whole tree has
// about those files: a named check reads only what its records need, and
// must need no more than it reads. Only the checks across the whole tree
// are left out (an exception that silences nothing, two reports of one
// device and month). It runs twice: with the few records it names parsed
// first, and with them streamed against the whole registry, as a check
// naming many records (past manyNamed) runs.
func TestNamedAgreesWithWhole(t *testing.T) {
	t.Run("few", testNamedAgreesWithWhole)
	defer func(n int) { manyNamed = n }(manyNamed)
	manyNamed = 0
	t.Run("many", testNamedAgreesWithWhole)
}

func testNamedAgreesWithWhole(t *testing.T) {
	ctx := context.Background()
	root := "../../testdata/bad"
	whole, err := Full(ctx, Options{Dir: root, Now: checkTime})
	if err != nil {
		t.Fatal(err)
	}
	var named []string
	err = fs.WalkDir(os.DirFS(root), ".", func(p string, d fs.DirEntry, err error) error {
		if _, ok, _ := record.Classify(p); ok && err == nil {
			named = append(named, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	named = append(named, "reports/2026-11", "people", "devices", "policies")
	acrossTree := []string{ruleExceptionUnused, ruleDuplicate}
	for _, p := range named {
		t.Run(p, func(t *testing.T) {
			res, err := Full(ctx, Options{Dir: root, Paths: []string{p}, Now: checkTime})
			if err != nil {
				t.Fatal(err)
			}
			under := func(f finding.Finding) bool {
				return (f.File == p || strings.HasPrefix(f.File, p+"/")) && !slices.Contains(acrossTree, f.Rule)
			}
			var want, got []string
			for _, f := range whole.Findings {
				if under(f) {
					want = append(want, f.String())
				}
			}
			for _, f := range res.Findings {
				if under(f) {
					got = append(got, f.String())
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("checked by name:\n%s\nin the whole tree:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if p == path.Clean(p) && res.Checked == 0 {
				t.Errorf("checked nothing")
			}
		})
	}
}

// TestWalkNamedLinks names links, and files behind them: each is reported,
// as the walk of the whole tree reports them, and none is read.
func TestWalkNamedLinks(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"reports/2026-11", "people"} {
		if err := os.MkdirAll(dir+"/"+d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(dir+"/reports/2026-11/a.yaml", []byte("period: \"2026-11\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for link, to := range map[string]string{"reports/2026-12": "2026-11", "people/l.yaml": "../reports/2026-11/a.yaml"} {
		if err := os.Symlink(to, dir+"/"+link); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, path string
		files      int
		checked    int
		finding    string
	}{
		{name: "a plain file", path: "reports/2026-11/a.yaml", files: 1, checked: 1},
		{name: "a link to a record", path: "people/l.yaml", checked: 1, finding: "people/l.yaml is a symbolic link"},
		{name: "a linked folder", path: "reports/2026-12", finding: "reports/2026-12 is a symbolic link"},
		{name: "a file in a linked folder", path: "reports/2026-12/a.yaml", finding: "reports/2026-12/a.yaml is inside reports/2026-12, a symbolic link"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, fs_, checked, err := walkNamed(os.DirFS(dir), []string{tt.path})
			if err != nil {
				t.Fatal(err)
			}
			if len(files) != tt.files || checked != tt.checked {
				t.Errorf("got %d files, %d checked; want %d, %d", len(files), checked, tt.files, tt.checked)
			}
			var msgs []string
			for _, f := range fs_ {
				msgs = append(msgs, f.Message)
			}
			if tt.finding == "" && len(fs_) > 0 || tt.finding != "" && (len(fs_) != 1 || !strings.HasPrefix(fs_[0].Message, tt.finding) || fs_[0].File != tt.path) {
				t.Errorf("findings %q, want one at %s starting %q", msgs, tt.path, tt.finding)
			}
		})
	}
}

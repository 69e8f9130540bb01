package check

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/posture-dev/posture"
	"github.com/posture-dev/posture/internal/gitrepo/gittest"
)

// testRepo is a real Git repository in a temporary folder, seeded with
// testdata/ok and the built-in policies and schemas on branch main (never
// the demo organisation's policy data).
type testRepo struct {
	*gittest.Worktree
	t testing.TB
}

func newTestRepo(t *testing.T, when time.Time) *testRepo {
	t.Helper()
	r := initRepo(t, t.TempDir())
	r.copyTree("../../testdata/ok", "")
	r.copyDefaults()
	r.Commit("seed", when)
	return r
}

// initRepo makes dir a repository whose first branch is main.
func initRepo(t testing.TB, dir string) *testRepo {
	t.Helper()
	return &testRepo{Worktree: gittest.Init(t, dir), t: t}
}

func (r *testRepo) copyTree(from, to string) {
	r.t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if strings.HasPrefix(rel, "exceptions"+string(filepath.Separator)) && to == "policies" {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		r.Write(filepath.ToSlash(filepath.Join(to, rel)), string(data))
		return nil
	})
	if err != nil {
		r.t.Fatal(err)
	}
}

// copyDefaults writes the built-in policies and schemas, as posture ships
// them.
func (r *testRepo) copyDefaults() {
	r.t.Helper()
	err := fs.WalkDir(posture.Defaults, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(posture.Defaults, p)
		r.Write(p, string(data))
		return err
	})
	if err != nil {
		r.t.Fatal(err)
	}
}

// newReport writes a clean report for device id with the given MAC, based
// on d-win's report without its evidence.
func (r *testRepo) newReport(id, mac string) {
	r.t.Helper()
	s := strings.ReplaceAll(r.Read(winReport), "d-win", id)
	if i, j := strings.Index(s, "evidence:"), strings.Index(s, "concerns:"); i >= 0 && j > i {
		s = s[:i] + s[j:]
	}
	r.Write("reports/2026-11/"+id+".yaml", strings.Replace(s, "3C-22-FB-12-34-56", mac, 1))
}

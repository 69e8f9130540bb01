package check

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/codeowners"
	"github.com/posture-dev/posture/internal/settings"
)

// TestFullCodeowners: a full check reports a CODEOWNERS that no longer
// matches people/ at its first line, and is clean when it matches.
func TestFullCodeowners(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../../testdata/ok")); err != nil {
		t.Fatal(err)
	}
	judge, err := NewJudge(context.Background(), os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	good, err := codeowners.Generate(judge.People(), settings.DefaultProtected)
	if err != nil {
		t.Fatal(err)
	}
	write := func(text string) {
		t.Helper()
		p := filepath.Join(dir, ".github", "CODEOWNERS")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name  string
		text  string
		paths []string
		want  string // "file:line rule", "" for clean
	}{
		{name: "up to date", text: string(good)},
		{name: "stale", text: strings.ReplaceAll(string(good), "@ada-admin", "@mallory"), want: ".github/CODEOWNERS:1 codeowners.stale"},
		{name: "stale, but only reports are checked", text: "/people/ @mallory\n", paths: []string{"reports"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			write(tt.text)
			res, err := Full(context.Background(), Options{Dir: dir, Paths: tt.paths, Now: checkTime})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.File+":"+strconv.Itoa(f.Line)+" "+f.Rule)
			}
			if strings.Join(got, "\n") != tt.want {
				t.Errorf("findings %q, want %q", got, tt.want)
			}
		})
	}
}

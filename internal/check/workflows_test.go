package check

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/posture-dev/posture/internal/settings"
)

const scheduled = `name: monthly
on:
  schedule:
    - cron: "0 9 1 * *"
      timezone: TZ # keep equal to timezone in posture.yaml
    - cron: "0 0 * * *"
  workflow_dispatch:
jobs: {}
`

func workflow(tz string) string { return strings.ReplaceAll(scheduled, "TZ", tz) }

// TestWorkflowTimezones: a schedule whose timezone is not posture.yaml's is
// a finding at the timezone's value; UTC schedules, other files and
// unparsable workflows are not compared.
func TestWorkflowTimezones(t *testing.T) {
	tests := []struct {
		name     string
		settings string // posture.yaml; "" for none (the default timezone)
		files    map[string]string
		want     []string // "file:line:col"
	}{
		{name: "agrees", settings: "organization: A\ntimezone: Europe/Berlin\n",
			files: map[string]string{"monthly.yml": workflow("Europe/Berlin")}},
		{name: "disagrees", settings: "organization: A\ntimezone: Europe/Berlin\n",
			files: map[string]string{"monthly.yml": workflow("Asia/Tokyo"), "remind.yaml": workflow("Europe/Berlin")},
			want:  []string{".github/workflows/monthly.yml:5:17"}},
		{name: "no posture.yaml: the default timezone", files: map[string]string{"a.yml": workflow("Asia/Tokyo"), "b.yml": workflow("UTC")},
			want: []string{".github/workflows/b.yml:5:17"}},
		{name: "posture.yaml's timezone is wrong: reported there, nothing compared",
			settings: "organization: A\ntimezone: Mars/Olympus\n", files: map[string]string{"a.yml": workflow("UTC")}},
		{name: "not workflows", settings: "organization: A\ntimezone: UTC\n",
			files: map[string]string{"notes.txt": workflow("Asia/Tokyo"), "broken.yml": "on: [\n", "list.yml": "- a\n",
				"no-schedule.yml": "on:\n  push:\njobs: {}\n", "cron-only.yml": "on:\n  schedule:\n    - cron: \"0 0 * * *\"\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			if tt.settings != "" {
				fsys["posture.yaml"] = &fstest.MapFile{Data: []byte(tt.settings)}
			}
			for name, text := range tt.files {
				fsys[".github/workflows/"+name] = &fstest.MapFile{Data: []byte(text)}
			}
			s, _, err := settings.Load(fsys)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range workflowTimezones(fsys, s) {
				if f.Rule != ruleWorkflowTimezone || f.Severity != "deny" {
					t.Errorf("finding %v: want a deny of %s", f, ruleWorkflowTimezone)
				}
				got = append(got, f.File+":"+strconv.Itoa(f.Line)+":"+strconv.Itoa(f.Column))
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("findings at %v, want %v", got, tt.want)
			}
		})
	}
}

// TestFullWorkflowTimezone: a full check reports a disagreeing workflow,
// and a check of named paths does not.
func TestFullWorkflowTimezone(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../../testdata/ok")); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, ".github", "workflows", "monthly.yml")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(workflow("Europe/Paris")), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		paths []string
		want  int
	}{{name: "full", want: 1}, {name: "named paths", paths: []string{"people"}}} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Full(context.Background(), Options{Dir: dir, Paths: tt.paths, Now: checkTime})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, f := range res.Findings {
				if f.Rule == ruleWorkflowTimezone {
					n++
				}
			}
			if n != tt.want {
				t.Errorf("%d workflow.timezone findings, want %d: %v", n, tt.want, res.Findings)
			}
		})
	}
}

package demo

import (
	"fmt"
	"io/fs"
	"testing"
	"time"

	"github.com/posture-dev/posture"
	"github.com/posture-dev/posture/internal/codeowners"
	"github.com/posture-dev/posture/internal/gitrepo/gittest"
	"github.com/posture-dev/posture/internal/record"
	"github.com/posture-dev/posture/internal/settings"
)

// standIn is what posture init leaves in a folder, as far as the demo
// cares: the settings, posture's policies and schemas, one IT admin,
// CODEOWNERS from people/ and a README, in one commit on main, checked
// out. It stands in for internal/scaffold in these tests.
type standIn struct {
	org, timezone string
	dueDay        int
}

func (s standIn) make(t testing.TB, dir string) {
	t.Helper()
	if s.org == "" {
		s.org = "Acme"
	}
	if s.timezone == "" {
		s.timezone = "Asia/Tokyo"
	}
	if s.dueDay == 0 {
		s.dueDay = 10
	}
	w := gittest.Init(t, dir)
	err := fs.WalkDir(posture.Defaults, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(posture.Defaults, p)
		w.Write(p, string(data))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(settings.File, fmt.Sprintf("# yaml-language-server: $schema=schemas/settings.schema.json\norganization: %s\ntimezone: %s\nreport_due_day: %d\nbot_login: acme-posture[bot]\n",
		s.org, s.timezone, s.dueDay))
	admin := "# yaml-language-server: $schema=../schemas/person.schema.json\nid: it-lead\nname: Riku Yamada\ngithub: it-lead\nemail: it-lead@acme.example\ndepartment: IT\nrole: it-admin\nactive: true\n"
	w.Write("people/it-lead.yaml", admin)
	rec, fsx := record.Parse("people/it-lead.yaml", record.Person, []byte(admin))
	if rec == nil {
		t.Fatal(fsx)
	}
	owners, err := codeowners.Generate(map[string]*record.Record{"it-lead": rec}, settings.DefaultProtected)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(codeowners.File, string(owners))
	w.Write("devices/.gitkeep", "")
	w.Write("reports/.gitkeep", "")
	w.Write("README.md", "# "+s.org+" device security reports\n")
	w.Commit("Set up posture for "+s.org+"\n", time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
}

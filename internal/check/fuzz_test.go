package check

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/record"
)

// FuzzValidate runs arbitrary text through everything a record goes
// through: parsing, the schema and the policies. It must never panic nor
// fail to evaluate, and every finding must have a place.
func FuzzValidate(f *testing.F) {
	for _, glob := range []string{"../../testdata/*/reports/*/*.yaml", "../../testdata/*/devices/*.yaml", "../../testdata/*/people/*.yaml"} {
		files, _ := filepath.Glob(glob)
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data, uint8(0))
				f.Add(data, uint8(1))
			}
		}
	}
	ctx := context.Background()
	t, _, err := loadRules(os.DirFS("../../testdata/ok"))
	if err != nil {
		f.Fatal(err)
	}
	files, _, err := walk(os.DirFS("../../testdata/ok"), nil)
	if err != nil {
		f.Fatal(err)
	}
	recs, _ := readAll(ctx, os.DirFS("../../testdata/ok"), files)
	t.index(recs)
	prep, err := t.prepare(ctx, t.people, t.devices)
	if err != nil {
		f.Fatal(err)
	}
	kinds := []record.Kind{record.Report, record.Device, record.Person, record.Exception}
	paths := []string{"reports/2026-11/d-win.yaml", "devices/d-win.yaml", "people/e2.yaml", "policies/exceptions/x.yaml"}
	f.Fuzz(func(tt *testing.T, data []byte, k uint8) {
		i := int(k) % len(kinds)
		rec, _ := record.Parse(paths[i], kinds[i], data)
		if rec == nil {
			return
		}
		p := &pipeline{t: t, prepared: samePrepared(prep)}
		v, err := p.run(ctx, source{fsys: os.DirFS("../../testdata/ok"), refDate: func(string) string { return "2026-11-10" },
			parsed: parsedItems([]file{{path: paths[i], kind: kinds[i]}}, []*record.Record{rec}, [][]finding.Finding{nil})})
		if err != nil {
			tt.Fatalf("evaluate: %v", err)
		}
		for _, f := range v.findings {
			if f.Line < 1 || f.Column < 1 || f.Rule == "" || f.Message == "" {
				tt.Fatalf("bad finding %+v", f)
			}
		}
	})
}

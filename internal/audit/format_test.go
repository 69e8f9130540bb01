package audit

import (
	"bytes"
	"testing"

	"github.com/posture-dev/posture/internal/overview"
)

// TestWriteJSON compares the audit's JSON, written row by row, with
// overview.WriteJSON of the same audit in one piece: the scenario's audit,
// one without evidence or findings, and one whose lists are all nil. A
// field added to Audit and left out of writeJSON fails it.
func TestWriteJSON(t *testing.T) {
	full := runAudit(t, scenario(t).Dir, Options{From: "2026-01", To: "2026-02"})
	if len(full.Evidence) < 2 || len(full.Findings) == 0 {
		t.Fatalf("the scenario's audit has %d rows and %d findings; the test wants some of each", len(full.Evidence), len(full.Findings))
	}
	empty := *full
	empty.Evidence, empty.Findings, empty.Exceptions = []Row{}, []Finding{}, []Exception{}
	for name, a := range map[string]*Audit{"scenario": full, "empty lists": &empty, "nil lists": {Scope: full.Scope}} {
		var want, got bytes.Buffer
		if err := overview.WriteJSON(&want, withGroups{a, Groups(a.Findings)}); err != nil {
			t.Fatal(err)
		}
		if err := Write(&got, "json", a); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%s: the JSON differs from overview.WriteJSON's:\n%s", name, firstDiff(got.Bytes(), want.Bytes()))
		}
	}
}

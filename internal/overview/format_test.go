package overview

import (
	"bytes"
	"testing"
)

// TestWriteJSON compares the overview's JSON, written device by device,
// with WriteJSON of the same overview in one piece: the golden fixture's
// (with follow-ups, trends and look-ahead warnings), one with empty lists
// and one with nil lists. A field added to Overview and left out of
// writeJSON fails it.
func TestWriteJSON(t *testing.T) {
	dir, _ := organisation(t)
	full := build(t, dir, Options{InReview: map[string]int{"reports/2026-02/d5.yaml": 12}, Issues: map[string]int{"e3": 41},
		RepoURL: "https://github.com/acme/device-reports"})
	if len(full.Devices) < 2 || len(full.FollowUp) == 0 || len(full.Trends) == 0 {
		t.Fatalf("the fixture's overview has %d devices, %d follow-ups, %d trends; the test wants some of each",
			len(full.Devices), len(full.FollowUp), len(full.Trends))
	}
	empty := *full
	empty.Devices, empty.FollowUp, empty.Departments, empty.Trends = []Device{}, []FollowUp{}, []Totals{}, []Trend{}
	for name, o := range map[string]*Overview{"fixture": full, "empty lists": &empty, "nil lists": {Organization: "Acme <&>"}} {
		var want, got bytes.Buffer
		if err := WriteJSON(&want, o); err != nil {
			t.Fatal(err)
		}
		if err := Write(&got, "json", o); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%s: the JSON differs from WriteJSON's:\n got %.300s\nwant %.300s", name, got.String(), want.String())
		}
	}
}

package overview

import (
	"slices"
	"testing"

	"github.com/posture-dev/posture/internal/browsertest"
)

// TestDepartmentFilterKeepsSpaces: a department written with two spaces
// (free text in people/) is offered with its value as written, and picking
// it shows its rows; a browser collapses the spaces of an option's text.
func TestDepartmentFilterKeepsSpaces(t *testing.T) {
	dir, _ := organisation(t)
	o := build(t, dir, Options{})
	var want []string
	for i := range o.Devices {
		if o.Devices[i].Department == "Sales" {
			o.Devices[i].Department = "Sales  East"
			want = append(want, o.Devices[i].Device)
		}
	}
	for i := range o.Departments {
		if o.Departments[i].Department == "Sales" {
			o.Departments[i].Department = "Sales  East"
		}
	}
	if len(want) == 0 {
		t.Fatal("the fixture has no Sales devices; the test needs some")
	}
	q := openQueue(t, o, browsertest.Options{})
	q.pick("f-department", "Sales  East")
	got := q.rows()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("department filter: rows %q, want %q", got, want)
	}
}

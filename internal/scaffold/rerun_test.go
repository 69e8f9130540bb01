package scaffold

import (
	"bytes"
	"strings"
	"testing"
)

// TestRerunAfterCut: an upgrade from v1.2.2 that wrote every file and
// stopped before the lock is finished by running it again: the lock then
// says v1.2.3 for the repository and its data file.
func TestRerunAfterCut(t *testing.T) {
	dir := create(t, acme("v1.2.3"))
	l := lockOf(t, dir)
	for p := range l.Files {
		old := strings.ReplaceAll(read(t, dir, p), "v1.2.3", "v1.2.2")
		write(t, dir, p, old)
		l.Files[p] = Entry{Version: "v1.2.2", SHA256: Sum([]byte(old))}
	}
	l.Posture, l.Action = "v1.2.2", Action+"@v1.2.2"
	l.Data[DataFile] = "v1.2.2"
	write(t, dir, LockFile, string(l.Marshal()))
	pl, err := PlanUpgrade(dir, acme("v1.2.3"), lockOf(t, dir), false)
	if err != nil {
		t.Fatal(err)
	}
	pl.LockChanged = false // cut short: every file written, the lock not
	if err := pl.Apply(dir); err != nil {
		t.Fatal(err)
	}
	again, err := PlanUpgrade(dir, acme("v1.2.3"), lockOf(t, dir), false)
	if err != nil {
		t.Fatal(err)
	}
	if err := again.Apply(dir); err != nil {
		t.Fatal(err)
	}
	got := lockOf(t, dir)
	if got.Posture != "v1.2.3" || got.Action != Action+"@v1.2.3" || got.Data[DataFile] != "v1.2.3" {
		t.Errorf("after the re-run the lock says posture %s, action %s, data %s; want v1.2.3 throughout", got.Posture, got.Action, got.Data[DataFile])
	}
	if final, err := PlanUpgrade(dir, acme("v1.2.3"), lockOf(t, dir), false); err != nil || !final.Empty() {
		t.Errorf("a third run has something to do: %v", err)
	}
}

// TestRefusedPlanHeader: a plan with a refused change names the action the
// upgrade would pin, not the one the lock has now.
func TestRefusedPlanHeader(t *testing.T) {
	dir := create(t, acme("v1.2.2"))
	write(t, dir, "policies/mac.rego", read(t, dir, "policies/mac.rego")+"# ours\n")
	pl, err := PlanUpgrade(dir, acme("v1.2.3"), lockOf(t, dir), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(pl.Refused()) == 0 {
		t.Fatal("the edited policy was not refused")
	}
	var b bytes.Buffer
	pl.Write(&b)
	if first, _, _ := strings.Cut(b.String(), "\n"); !strings.HasSuffix(first, Action+"@v1.2.3") {
		t.Errorf("header: %s", first)
	}
}

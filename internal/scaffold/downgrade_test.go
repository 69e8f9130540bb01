package scaffold

import (
	"errors"
	"strings"
	"testing"
)

// TestPlanUpgradeRefusesADowngrade: a posture older than the one that
// wrote the repository plans nothing unless forced; the same or a newer
// one, or a build without a version, plans as usual.
func TestPlanUpgradeRefusesADowngrade(t *testing.T) {
	dir := create(t, acme("v1.3.0"))
	_, err := PlanUpgrade(dir, acme("v1.2.3"), lockOf(t, dir), false)
	var de *DowngradeError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "posture v1.3.0 wrote the repository; this is posture v1.2.3") ||
		!strings.Contains(err.Error(), "--force") {
		t.Fatalf("an older posture: %v", err)
	}
	pl, err := PlanUpgrade(dir, acme("v1.2.3"), lockOf(t, dir), true)
	if err != nil || pl.Empty() {
		t.Errorf("forced: %v, empty %v", err, pl != nil && pl.Empty())
	}
	for _, v := range []string{"v1.3.0", "v1.3.1", "v2.0.0", "(devel)"} {
		p := acme(v)
		if v == "(devel)" {
			p.Release.Ref = "main" // a build without a version pins a branch
		}
		if _, err := PlanUpgrade(dir, p, lockOf(t, dir), false); err != nil {
			t.Errorf("posture %s: %v", v, err)
		}
	}
}

package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/posture-dev/posture/internal/collect"
	"github.com/posture-dev/posture/internal/record"
)

// registration reads the device record that a report names, from the
// devices/ folder of the repository the report is in
// (<repo>/reports/<period>/<device>.yaml). It returns nil when the report
// names no device or the repository has no record of it.
func registration(into string, report []byte) *record.Record {
	rec, _ := record.Parse(into, record.Report, report)
	if rec == nil || !record.ValidID(rec.String("device")) {
		return nil
	}
	dev := filepath.Join(filepath.Dir(into), "..", "..", record.DevicesDir, rec.String("device")+".yaml")
	data, err := os.ReadFile(dev)
	if err != nil {
		return nil
	}
	d, _ := record.Parse(dev, record.Device, data)
	return d
}

// writeChanges says on w which values collect replaced in the report into:
// one line per field, naming the old and the new value. For os_name it adds
// what the device's registration says, since a report that names another
// distribution fails os.name_registered.
func writeChanges(w io.Writer, into string, changes []collect.Change, dev *record.Record) {
	for _, c := range changes {
		line := fmt.Sprintf("posture: %s in %s was %q; now %q, what this computer says", c.Field, into, c.Old, c.New)
		if c.Field == "os_name" && dev != nil {
			line += registeredName(dev, c.New)
		}
		fmt.Fprintln(w, line)
	}
}

// registeredName says how the device's registered os_name compares with
// the collected one, or nothing when the registration names none.
func registeredName(dev *record.Record, collected string) string {
	reg := strings.TrimSpace(dev.String("os_name"))
	if reg == "" {
		return ""
	}
	id, file := record.IDOf(dev.Path), record.DevicesDir+"/"+record.IDOf(dev.Path)+".yaml"
	if strings.EqualFold(reg, collected) {
		return fmt.Sprintf("; the device's registration (%s) says %q too", file, reg)
	}
	return fmt.Sprintf("; the device's registration (%s) says %q, and posture check fails the report until they agree: "+
		"if %s runs %s now, change os_name in %s in a pull request of its own first; if not, run posture collect on %s itself",
		file, reg, id, collected, file, id)
}

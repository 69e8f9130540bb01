package overview

import (
	"fmt"
	"io/fs"
	"strings"

	"github.com/posture-dev/posture/internal/ahead"
	"github.com/posture-dev/posture/internal/check"
)

// comingUp returns the warnings of what is coming (ahead.Compute, as each
// person's monthly issue shows them) for the devices of the queue.
func comingUp(fsys fs.FS, j *check.Judge, period, today string, queue []Device) ([]ahead.Warning, error) {
	ws, err := ahead.Compute(ahead.Input{Tree: fsys, Devices: j.Devices(), Exceptions: j.Exceptions(), Period: period, Today: today,
		DueDay: j.Settings().ReportDueDay})
	if err != nil {
		return nil, err
	}
	in := map[string]bool{}
	for _, d := range queue {
		in[d.Device] = true
	}
	out := []ahead.Warning{}
	for _, w := range ws {
		if in[w.Device] {
			out = append(out, w)
		}
	}
	return out, nil
}

// aheadKinds name the kinds of warning on the pages.
var aheadKinds = map[string]string{
	ahead.OSEndOfSupport:   "OS support ends",
	ahead.ExceptionExpires: "exception expires",
	ahead.NotReported:      "not reported",
}

// aheadWhen says when a warning falls due: "2026-09-15 (in 14 days)", or
// for a device without reports the periods it missed.
func aheadWhen(w ahead.Warning) string {
	if w.Date == "" {
		return "no report in " + strings.Join(w.Periods, ", ")
	}
	if w.Days == 0 {
		return w.Date + " (today)"
	}
	return fmt.Sprintf("%s (in %s)", w.Date, plural(w.Days, "day"))
}

// aheadRow is a warning with its owner's name, for the pages.
type aheadRow struct {
	ahead.Warning
	Name, What, When string
}

func aheadRows(o *Overview) []aheadRow {
	names := map[string]string{}
	for _, d := range o.Devices {
		names[d.Employee] = d.Name
	}
	out := make([]aheadRow, 0, len(o.Ahead))
	for _, w := range o.Ahead {
		out = append(out, aheadRow{Warning: w, Name: names[w.Owner], What: aheadKinds[w.Kind], When: aheadWhen(w)})
	}
	return out
}

// writeAhead writes the Markdown section of what is coming, when anything
// is.
func writeAhead(b *strings.Builder, o *Overview) {
	if len(o.Ahead) == 0 {
		return
	}
	c := MarkdownCell
	fmt.Fprintf(b, "\n### Coming up\n\nNot late yet: OS support ending within %d days, exceptions expiring within %d, devices without a report for two periods.\n\n",
		ahead.DefaultOSDays, ahead.DefaultExceptionDays)
	b.WriteString("| when | what | employee | device | detail |\n| --- | --- | --- | --- | --- |\n")
	for _, r := range aheadRows(o) {
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", c(r.When), r.What, c(person(r.Name, r.Owner)), c(r.Device), c(r.Message))
	}
}

// Package ahead says what is coming rather than what is late: the devices
// whose operating system leaves support soon, by the dated OS table the
// policies judge with; the exceptions that expire soon; and the devices
// that have gone two periods without a report. The monthly issue and the
// overview show the same warnings, made here.
package ahead

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/posture-dev/posture/internal/calendar"
	"github.com/posture-dev/posture/internal/record"
	"github.com/posture-dev/posture/internal/settings"
)

// The kinds of warning.
const (
	OSEndOfSupport   = "os_end_of_support"
	ExceptionExpires = "exception_expires"
	NotReported      = "not_reported"
)

// The default horizons, in days from today.
const (
	DefaultOSDays        = 60
	DefaultExceptionDays = 30
)

// Warning is something a device's owner must act on before it is late.
type Warning struct {
	Kind   string `json:"kind"`
	Owner  string `json:"owner"`
	Device string `json:"device"`
	// Date is the last day of support (os_end_of_support) or the last day
	// the exception is in force (exception_expires); "" for not_reported.
	Date string `json:"date"`
	// Days is how many days from today Date is (0: today is the last day).
	Days int `json:"days"`
	// Exception and Rule name the expiring exception.
	Exception string `json:"exception"`
	Rule      string `json:"rule"`
	// Periods are the periods without a report (not_reported), oldest first.
	Periods []string `json:"periods"`
	// Message says what is coming and what to do, for the owner.
	Message string `json:"message"`
}

// Input is what the warnings are made from: one tree's registry,
// exceptions, reports and OS tables, a period and a day.
type Input struct {
	// Tree is the repository's tree: its reports (the latest one gives a
	// device's OS version; the last two periods' say whether it reported)
	// and the policies' data (the OS support tables).
	Tree       fs.FS
	Devices    map[string]*record.Record
	Exceptions []*record.Record
	// Period is the period of the issue or the overview, YYYY-MM.
	Period string
	// Today is the day the warnings look ahead from, YYYY-MM-DD in the
	// organisation's timezone.
	Today string
	// OSDays and ExceptionDays are the horizons; 0 means the defaults
	// (60 and 30 days).
	OSDays, ExceptionDays int
	// DueDay is the day of the month reports are due (report_due_day in
	// posture.yaml); 0 means settings.DefaultDueDay. An exception in force
	// on the due day of a period excepts the device from that period's
	// report, as the overview and the audit count it.
	DueDay int
}

// Compute returns the warnings for the devices of in.Devices: of OS end of
// support and expiring exceptions for the devices in use today, of no
// report for the devices in use, as the overview counts them, in the period
// and the two before it. They are sorted by owner, device, kind (not
// reported, then OS end of support, then exception expires), day and
// exception. The error is for a tree whose OS
// tables or reports cannot be read, or an input that is not a period, a
// day and a due day.
func Compute(in Input) ([]Warning, error) {
	if !record.ValidPeriod(in.Period) {
		return nil, fmt.Errorf("look ahead: %q is not a period written YYYY-MM", in.Period)
	}
	today, err := time.Parse(time.DateOnly, in.Today)
	if err != nil {
		return nil, fmt.Errorf("look ahead: %q is not a day written YYYY-MM-DD", in.Today)
	}
	tables, err := ReadTables(in.Tree)
	if err != nil {
		return nil, err
	}
	osDays, excDays := cmp.Or(in.OSDays, DefaultOSDays), cmp.Or(in.ExceptionDays, DefaultExceptionDays)
	lastDue, err := calendar.Due(shift(in.Period, -1), cmp.Or(in.DueDay, settings.DefaultDueDay))
	if err != nil {
		return nil, fmt.Errorf("look ahead: %w", err)
	}
	c := &computer{in: in, today: today, tables: tables, lastDue: lastDue.String()}
	ids := make([]string, 0, len(in.Devices))
	for id := range in.Devices {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var out []Warning
	for _, id := range ids {
		if in.Devices[id].InUseOn(in.Today) {
			w, err := c.os(id, osDays)
			if err != nil {
				return nil, err
			}
			out = append(out, w...)
		}
		w, err := c.unreported(id)
		if err != nil {
			return nil, err
		}
		out = append(out, w...)
	}
	out = append(out, c.exceptions(excDays)...)
	slices.SortStableFunc(out, func(a, b Warning) int {
		return cmp.Or(strings.Compare(a.Owner, b.Owner), strings.Compare(a.Device, b.Device), cmp.Compare(rank(a), rank(b)),
			strings.Compare(a.Date, b.Date), strings.Compare(a.Exception, b.Exception))
	})
	return out, nil
}

// ByOwner files ws under their owners.
func ByOwner(ws []Warning) map[string][]Warning {
	out := map[string][]Warning{}
	for _, w := range ws {
		out[w.Owner] = append(out[w.Owner], w)
	}
	return out
}

func rank(w Warning) int {
	return slices.Index([]string{NotReported, OSEndOfSupport, ExceptionExpires}, w.Kind)
}

type computer struct {
	in     Input
	today  time.Time
	tables Tables
	// lastDue is the due day of the period before the period.
	lastDue string
}

// days returns how many days from today day is, and whether it is a day.
func (c *computer) days(day string) (int, bool) {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return 0, false
	}
	return int(t.Sub(c.today).Hours() / 24), true
}

// os warns when the OS the device last reported (or was registered with)
// leaves support within horizon days, unless an exception for os.supported
// on the device is in force past that day.
func (c *computer) os(id string, horizon int) ([]Warning, error) {
	d := c.in.Devices[id]
	version, distro, err := c.latest(id)
	if err != nil {
		return nil, err
	}
	if version == "" {
		version = d.String("os_version")
	}
	if distro == "" {
		distro = d.String("os_name")
	}
	platform := d.String("platform")
	table, e, ok := c.tables.lookup(platform, distro, version)
	if !ok || e.End == "" {
		return nil, nil
	}
	n, ok := c.days(e.End)
	if !ok || n < 0 || n > horizon {
		return nil, nil
	}
	// os.supported fails from the day after the last day of support: an
	// exception that ends on the last day does not cover it.
	failsFrom := c.today.AddDate(0, 0, n+1).Format(time.DateOnly)
	for _, x := range c.in.Exceptions {
		if x.String("device") == id && x.String("rule") == "os.supported" && x.InForceOn(failsFrom) {
			return nil, nil
		}
	}
	var after []string
	for _, o := range table {
		if o.End == "" || o.End > e.End {
			after = append(after, o.Name)
		}
	}
	what := "replace the device or ask IT for an exception (posture's exception form) before then"
	if len(after) > 0 {
		what = "update it to " + strings.Join(after, " or ") + " before then, or ask IT for an exception"
	}
	msg := fmt.Sprintf("%s (os_version %q) is supported until %s, %s: after that its reports fail os.supported; %s.",
		e.Name, version, e.End, inDays(n), what)
	return []Warning{{Kind: OSEndOfSupport, Owner: d.String("owner"), Device: id, Date: e.End, Days: n, Periods: []string{}, Message: msg}}, nil
}

// latest returns the OS version and Linux distribution of the device's
// newest report among the period and the two before it.
func (c *computer) latest(id string) (version, distro string, err error) {
	for _, p := range []string{c.in.Period, shift(c.in.Period, -1), shift(c.in.Period, -2)} {
		path := reportPath(p, id)
		data, err := fs.ReadFile(c.in.Tree, path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", "", fmt.Errorf("read %s: %w", path, err)
		}
		rec, _ := record.Parse(path, record.Report, data)
		if rec == nil {
			continue // the check reports why; look further back
		}
		return rec.String("os_version"), rec.String("os_name"), nil
	}
	return "", "", nil
}

// unreported warns when the device owed a report for each of the two
// periods before the period and for the period (it was in use in each, as
// the overview counts it), has none for either of the two, and none for
// the period yet. A device with an exception in force on the due day of
// the last of them is excepted rather than unreported, as the overview
// counts it.
func (c *computer) unreported(id string) ([]Warning, error) {
	d := c.in.Devices[id]
	periods := []string{shift(c.in.Period, -2), shift(c.in.Period, -1)}
	for _, p := range append(periods, c.in.Period) {
		if !activeIn(d, p) {
			return nil, nil
		}
	}
	for _, x := range c.in.Exceptions {
		if x.String("device") == id && x.InForceOn(c.lastDue) {
			return nil, nil
		}
	}
	for _, p := range append(periods, c.in.Period) {
		_, err := fs.Stat(c.in.Tree, reportPath(p, id))
		switch {
		case err == nil:
			return nil, nil
		case !errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("read %s: %w", reportPath(p, id), err)
		}
	}
	msg := fmt.Sprintf("no report for %s or %s: report %s for %s, or if the device is no longer in use, retire it with the retire-device form.",
		periods[0], periods[1], id, c.in.Period)
	return []Warning{{Kind: NotReported, Owner: d.String("owner"), Device: id, Periods: periods, Message: msg}}, nil
}

// exceptions warns about each exception that is in force today and whose
// last day is within horizon days, for an active registered device.
func (c *computer) exceptions(horizon int) []Warning {
	var out []Warning
	for _, x := range c.in.Exceptions {
		id := x.String("device")
		d, ok := c.in.Devices[id]
		if !ok || !d.InUseOn(c.in.Today) {
			continue
		}
		n, ok := c.days(x.String("expires"))
		if !ok || n < 0 || n > horizon {
			continue
		}
		rule := x.String("rule")
		msg := fmt.Sprintf("exception %s (%s on %s) is in force until %s, %s: after that %s applies to %s again; fix what it excuses before then, or ask IT to renew it with the exception form.",
			x.String("id"), rule, id, x.String("expires"), inDays(n), rule, id)
		out = append(out, Warning{Kind: ExceptionExpires, Owner: d.String("owner"), Device: id, Date: x.String("expires"), Days: n,
			Exception: x.String("id"), Rule: rule, Periods: []string{}, Message: msg})
	}
	return out
}

// inDays says how far off a day is: "today", "tomorrow", "in 12 days".
func inDays(n int) string {
	switch n {
	case 0:
		return "today"
	case 1:
		return "tomorrow"
	}
	return fmt.Sprintf("in %d days", n)
}

// activeIn reports whether device d was in use in period (YYYY-MM), so
// owed its report: registered before the month ends and not retired before
// it begins, as the overview counts the devices of a period
// (record.InUseBetween; TestAgreesWithOverview holds the two together).
func activeIn(d *record.Record, period string) bool {
	return d.InUseBetween(period+"-01", shift(period, 1)+"-01")
}

// shift returns the period n months from p.
func shift(p string, n int) string {
	t, _ := time.Parse("2006-01", p)
	return t.AddDate(0, n, 0).Format("2006-01")
}

func reportPath(period, device string) string {
	return record.ReportsDir + "/" + period + "/" + device + ".yaml"
}

package overview

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
	"time"

	"github.com/posture-dev/posture/internal/calendar"
	"github.com/posture-dev/posture/internal/check"
	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/record"
	"github.com/posture-dev/posture/internal/settings"
)

// Options of an overview.
type Options struct {
	Repo *gitrepo.Repo
	// Rev is the commit whose tree is read (default HEAD).
	Rev string
	// Period is YYYY-MM.
	Period string
	// Now is the moment the calendar is read at (default time.Now()):
	// before the due day ends an unreported device is not due yet, after
	// it overdue.
	Now time.Time
	// InReview maps report paths to the open pull request that adds or
	// changes them, when GitHub was asked; nil otherwise.
	InReview map[string]int
	// Issues maps employee ids to their monthly issue of Period, when
	// GitHub was asked; nil otherwise.
	Issues map[string]int
	// RepoURL is the repository's web address, e.g.
	// https://github.com/acme/device-reports, for links; "" for none.
	RepoURL string
	// Cache, when set, holds what earlier checks found about the reports.
	Cache *check.Cache
}

// Build makes the overview of a period from the tree of opts.Rev, judging
// each merged report of the period and of the eleven before it with that
// tree's rules as of the day of the commit that last changed it (the due
// day when there is no history), and placing each device on the calendar
// at opts.Now.
func Build(ctx context.Context, opts Options) (*Overview, error) {
	if !record.ValidPeriod(opts.Period) {
		return nil, &check.InputError{Msg: fmt.Sprintf("--period %q is not a period written YYYY-MM", opts.Period)}
	}
	if opts.Rev == "" {
		opts.Rev = "HEAD"
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	head, err := opts.Repo.Resolve(opts.Rev)
	if err != nil {
		return nil, &check.InputError{Msg: err.Error()}
	}
	fsys, err := opts.Repo.TreeFS(head)
	if err != nil {
		return nil, err
	}
	j, err := check.NewJudge(ctx, fsys)
	if err != nil {
		return nil, fmt.Errorf("load the rules at %s: %w", head.Hash, err)
	}
	j.SetCache(opts.Cache)
	s := j.Settings()
	periods := window(opts.Period)
	b := &builder{opts: opts, s: s, j: j, periods: periods, links: links{base: opts.RepoURL, commit: head.Hash.String()},
		cal: map[string]calendar.Standing{}}
	for _, p := range periods {
		if b.cal[p], err = calendar.Judge(p, s.ReportDueDay, s.Location, opts.Now, time.Time{}); err != nil {
			return nil, err
		}
	}
	o := &Overview{Organization: s.Organization, Period: opts.Period, Due: b.cal[opts.Period].Due, Timezone: s.Timezone,
		AsOf: opts.Now.In(s.Location), Commit: head.Hash.String(), CommitTime: head.Committer.When.In(s.Location),
		GitHub: opts.InReview != nil, RepoURL: opts.RepoURL, Periods: periods}

	devs, present := b.devices(fsys)
	accepted, err := acceptances(ctx, opts.Repo, head, periods, present, opts.Cache.Steps)
	if err != nil {
		return nil, &check.InputError{Msg: err.Error()}
	}
	b.accepted = accepted
	paths := make([]string, 0, len(present))
	for p := range present {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	found, err := j.Check(ctx, fsys, paths, b.refDate)
	if err != nil {
		return nil, fmt.Errorf("check the reports of %s to %s: %w", periods[0], opts.Period, err)
	}
	b.findings = map[string][]finding.Finding{}
	for _, f := range found {
		b.findings[f.File] = append(b.findings[f.File], f)
	}
	queue := []Device{}
	for i := range devs {
		b.place(&devs[i])
		if devs[i].Status != "" { // in use in the overview's period
			queue = append(queue, devs[i])
		}
	}
	slices.SortFunc(queue, queueOrder)
	o.Devices = queue
	o.Totals, o.Departments = totals(queue)
	o.FollowUp = followUp(queue)
	o.Trends = trends(devs, periods, b.cal)
	if o.Ahead, err = comingUp(fsys, j, opts.Period, s.Date(opts.Now), queue); err != nil {
		return nil, err
	}
	return o, nil
}

// builder is the state of one Build.
type builder struct {
	opts     Options
	s        settings.Settings
	j        *check.Judge
	periods  []string
	cal      map[string]calendar.Standing // each period with nothing accepted
	links    links
	accepted map[string]acceptance
	findings map[string][]finding.Finding
}

// devices lists a line for every device of an active employee in use in
// some period of the window, with its history of cells not yet judged, and
// the report paths of the window present in the tree.
func (b *builder) devices(fsys fs.FS) ([]Device, map[string]bool) {
	var devs []Device
	present := map[string]bool{}
	people := b.j.People()
	for id, d := range b.j.Devices() {
		owner := people[d.String("owner")]
		if owner == nil || owner.Data["active"] != true || !slices.ContainsFunc(b.periods, func(p string) bool { return activeInPeriod(d, p, b.s) }) {
			continue
		}
		emp := record.IDOf(owner.Path)
		dev := Device{Department: owner.String("department"), Employee: emp, Name: owner.String("name"),
			GitHub: owner.String("github"), Supervisor: owner.String("supervisor"), Device: id,
			Rules: []string{}, Exceptions: []string{}}
		if sup := people[dev.Supervisor]; sup != nil {
			dev.SupervisorName = sup.String("name")
		}
		for _, p := range b.periods {
			c := Cell{Period: p, Mark: CellNone}
			if activeInPeriod(d, p, b.s) {
				c.Mark = ""
				path := reportPath(p, id)
				if info, err := fs.Stat(fsys, path); err == nil && info.Mode().IsRegular() {
					present[path] = true
				}
			}
			dev.History = append(dev.History, c)
		}
		devs = append(devs, dev)
	}
	return devs, present
}

// place judges each period of d's history and sets its line in the
// period from the last one.
func (b *builder) place(d *Device) {
	for i := range d.History {
		c := &d.History[i]
		if c.Mark == CellNone {
			continue
		}
		path := reportPath(c.Period, d.Device)
		acc, merged := b.accepted[path]
		st := b.cal[c.Period]
		var exceptions []string
		var errs, warns int
		var rules []string
		if merged {
			st, _ = calendar.Judge(c.Period, b.s.ReportDueDay, b.s.Location, b.opts.Now, acc.when)
			c.Accepted, c.PullRequest, c.URL = b.s.Date(acc.when), acc.pull, b.links.file(path)
			fs_ := b.findings[path]
			errs, warns = finding.Count(fs_)
			rules = finding.Rules(fs_)
		}
		exceptions = b.exceptions(d.Device, b.refDate(path))
		switch {
		case merged && errs > 0:
			c.Mark = CellFailed
		case merged && st.Status == calendar.Late:
			c.Mark = CellLate
		case merged:
			c.Mark = CellPassed
		case st.Status == calendar.NotDue:
			c.Mark = CellNotDue
		case len(exceptions) > 0:
			c.Mark = CellException
		default:
			c.Mark = CellMissing
		}
		if i < len(d.History)-1 {
			continue
		}
		// The period of the overview.
		d.Path, d.Exceptions, d.Days = path, exceptions, st.Days
		d.State, d.PullRequest = Missing, b.opts.InReview[path]
		switch {
		case merged:
			d.State, d.Accepted, d.Late, d.AcceptedPull = Merged, c.Accepted, st.Status == calendar.Late, acc.pull
			d.Errors, d.Warnings, d.Rules = errs, warns, rules
			d.Result = Pass
			if warns > 0 {
				d.Result = Warn
			}
			if errs > 0 {
				d.Result = Fail
			}
		case d.PullRequest != 0:
			d.State = InReview
		}
		d.Status = map[string]string{CellFailed: Failing, CellLate: Late, CellPassed: OnTime, CellNotDue: NotDue,
			CellException: Excepted, CellMissing: Overdue}[c.Mark]
		d.Links = b.links.device(d, b.opts.Issues, b.opts.Period)
	}
}

// refDate is the day a report of the window is judged as of: the day it
// was accepted, or its period's due day when it was not.
func (b *builder) refDate(path string) string {
	if a, ok := b.accepted[path]; ok {
		return b.s.Date(a.when)
	}
	return b.cal[record.PeriodOf(path)].Due
}

// exceptions lists the exceptions for device in force on day, by id.
func (b *builder) exceptions(device, day string) []string {
	out := []string{}
	for _, e := range b.j.Exceptions() {
		if e.String("device") == device && e.InForceOn(day) {
			out = append(out, record.IDOf(e.Path))
		}
	}
	slices.Sort(out)
	return out
}

func reportPath(period, device string) string {
	return record.ReportsDir + "/" + period + "/" + device + ".yaml"
}

// activeInPeriod reports whether device d was in use in period.
func activeInPeriod(d *record.Record, period string, s settings.Settings) bool {
	start, _ := time.ParseInLocation("2006-01", period, s.Location)
	return ActiveIn(d, start, start.AddDate(0, 1, 0))
}

// ActiveIn reports whether a device was in use between start and end: it
// was registered before end and not retired before start
// (record.InUseBetween).
func ActiveIn(d *record.Record, start, end time.Time) bool {
	return d.InUseBetween(start.Format(time.DateOnly), end.Format(time.DateOnly))
}

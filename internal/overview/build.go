package overview

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/posture-dev/posture/internal/check"
	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/record"
)

// Options of an overview.
type Options struct {
	Repo *gitrepo.Repo
	// Rev is the commit whose tree is read (default HEAD).
	Rev string
	// Period is YYYY-MM.
	Period string
	// InReview maps report paths to the open pull request that adds or
	// changes them, when GitHub was asked; nil otherwise.
	InReview map[string]int
}

// Build makes the overview of a period from the tree of opts.Rev, judging
// each merged report with that tree's rules as of the day of the commit
// that last changed it (the due day when there is no history).
func Build(ctx context.Context, opts Options) (*Overview, error) {
	if !record.ValidPeriod(opts.Period) {
		return nil, &check.InputError{Msg: fmt.Sprintf("--period %q is not a period written YYYY-MM", opts.Period)}
	}
	if opts.Rev == "" {
		opts.Rev = "HEAD"
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
	s := j.Settings()
	dueT, _ := s.DueDate(opts.Period)
	due := dueT.Format(time.DateOnly)
	start, _ := time.ParseInLocation("2006-01", opts.Period, s.Location)
	o := &Overview{Organization: s.Organization, Period: opts.Period, Due: due, Commit: head.Hash.String(),
		CommitTime: head.Committer.When.In(s.Location), GitHub: opts.InReview != nil}

	var devs []Device
	var present []string
	for id, d := range j.Devices() {
		owner := j.People()[d.String("owner")]
		if owner == nil || owner.Data["active"] != true || !ActiveIn(d, start, start.AddDate(0, 1, 0)) {
			continue
		}
		p := record.ReportsDir + "/" + opts.Period + "/" + id + ".yaml"
		dev := Device{Department: owner.String("department"), Employee: record.IDOf(owner.Path), Name: owner.String("name"),
			GitHub: owner.String("github"), Device: id, Path: p, State: Missing, PullRequest: opts.InReview[p],
			Rules: []string{}, Exceptions: []string{}}
		if info, err := fs.Stat(fsys, p); err == nil && info.Mode().IsRegular() {
			dev.State = Merged
			present = append(present, p)
		} else if dev.PullRequest != 0 {
			dev.State = InReview
		}
		devs = append(devs, dev)
	}
	times, err := opts.Repo.LastChanged(head, present)
	if err != nil {
		return nil, &check.InputError{Msg: fmt.Sprintf("%v\nthe overview dates each report by the commit that last changed it; fetch the full history", err)}
	}
	refDate := func(p string) string {
		if t, ok := times[p]; ok {
			return s.Date(t)
		}
		return due
	}
	fs_, err := j.Check(ctx, fsys, present, refDate)
	if err != nil {
		return nil, fmt.Errorf("check the reports of %s: %w", opts.Period, err)
	}
	byPath := map[string][]finding.Finding{}
	for _, f := range fs_ {
		byPath[f.File] = append(byPath[f.File], f)
	}
	for i := range devs {
		d := &devs[i]
		on := due
		if d.State == Merged {
			on = refDate(d.Path)
			d.Accepted = on
			d.Late = on > due
			judge(d, byPath[d.Path])
		}
		for _, e := range j.Exceptions() {
			if e.String("device") == d.Device && e.String("expires") >= on {
				d.Exceptions = append(d.Exceptions, record.IDOf(e.Path))
			}
		}
		slices.Sort(d.Exceptions)
	}
	slices.SortFunc(devs, func(a, b Device) int {
		return cmp.Or(strings.Compare(a.Department, b.Department), strings.Compare(a.Employee, b.Employee), strings.Compare(a.Device, b.Device))
	})
	o.Devices = devs
	o.Totals, o.Departments = totals(devs)
	o.FollowUp = followUp(devs, due)
	return o, nil
}

// judge files a merged report's findings on its line.
func judge(d *Device, fs_ []finding.Finding) {
	d.Errors, d.Warnings = finding.Count(fs_)
	d.Rules = finding.Rules(fs_)
	switch {
	case d.Errors > 0:
		d.Result = Fail
	case d.Warnings > 0:
		d.Result = Warn
	default:
		d.Result = Pass
	}
}

// ActiveIn reports whether a device was in use between start and end: it
// was registered before end and not retired before start.
func ActiveIn(d *record.Record, start, end time.Time) bool {
	reg := d.String("registered")
	if reg == "" || reg >= end.Format(time.DateOnly) {
		return false
	}
	if d.String("status") != "retired" {
		return true
	}
	ret, _ := d.Data["retirement"].(map[string]any)
	date, _ := ret["date"].(string)
	return date >= start.Format(time.DateOnly)
}

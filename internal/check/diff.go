package check

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/policy"
	"github.com/posture-dev/posture/internal/record"
)

// DiffOptions of a pull-request check.
type DiffOptions struct {
	// Dir is a folder inside the repository.
	Dir string
	// Base is the branch the pull request goes into; Head its tip
	// (default HEAD).
	Base, Head string
	// Author is the pull request's author's GitHub login, when known.
	Author string
	// Now is the time of the check, the reference time of every change.
	Now time.Time
}

// Diff checks a pull request: the records changed between the merge base of
// Base and Head and Head, read as blobs (nothing is checked out). Everything
// it trusts comes from Base's tip, never from the change; what the change
// may hold and whose it is is the trust boundary (see admission).
func Diff(ctx context.Context, opts DiffOptions) (*Result, error) {
	repo, err := gitrepo.Open(opts.Dir)
	if err != nil {
		return nil, &InputError{err.Error()}
	}
	defer repo.Close()
	if opts.Head == "" {
		opts.Head = "HEAD"
	}
	baseC, err := repo.Resolve(opts.Base)
	if err != nil {
		return nil, &InputError{err.Error()}
	}
	headC, err := repo.Resolve(opts.Head)
	if err != nil {
		return nil, &InputError{err.Error()}
	}
	bases, err := repo.MergeBases(baseC, headC)
	if err != nil {
		return nil, &InputError{err.Error()}
	}
	baseFS, err := repo.TreeFS(baseC)
	if err != nil {
		return nil, err
	}
	t, err := loadTrusted(baseFS)
	if err != nil {
		return nil, fmt.Errorf("load the rules of the base %s: %w", opts.Base, err)
	}
	res := &Result{Rules: t.engine.Rules()}
	if len(bases) > 1 {
		// Rule 4 of the trust boundary: no single diff is what the merge does.
		res.Findings = []finding.Finding{{Rule: ruleMergeBase, Severity: finding.Deny,
			Message: fmt.Sprintf("the branch and %s have %d merge bases (%.12s and %.12s): the branch merged %s in a way that makes the merge's effect unclear. Rebase your branch on %s and push it again", opts.Base, len(bases), bases[0].Hash, bases[1].Hash, opts.Base, opts.Base)}}
		return res, nil
	}
	changes, err := repo.Changes(bases[0], headC)
	var headFS fs.FS
	if err == nil {
		headFS, err = repo.TreeFS(headC)
	}
	var te *gitrepo.TreeError
	if errors.As(err, &te) {
		res.Findings = []finding.Finding{finding.At(te.Path(), ruleTree, finding.Deny,
			"%s; Git refuses to check out such a tree: remove or rename the entry, then push again", te.Error())}
		return res, nil
	}
	if err != nil {
		return nil, err
	}

	a := admit(changes)
	fs_ := a.findings
	recs, fss := readAll(ctx, headFS, a.files)
	if _, err := loadRegistry(ctx, t, baseFS, recs, true); err != nil {
		return nil, err
	}

	// Reports and exceptions are judged by the base's registry alone;
	// people and devices by the base's registry with the proposed records
	// in place, so that a new person's supervisor chain is seen whole.
	people, devices := overlay(t.people, recs, record.Person), overlay(t.devices, recs, record.Device)
	basePrep, err := t.prepare(ctx, t.people, t.devices)
	if err != nil {
		return nil, err
	}
	regPrep := basePrep
	if len(people) != len(t.people) || len(devices) != len(t.devices) || touches(recs, record.Person, record.Device) {
		if regPrep, err = t.prepare(ctx, people, devices); err != nil {
			return nil, err
		}
	}
	// The trust boundary: whose each record is, and what its evidence may
	// cite (boundary.go).
	devicesOnly := touches(recs, record.Device) && !touches(recs, record.Report, record.Person, record.Exception)
	for _, r := range recs {
		if r == nil {
			continue
		}
		if r.Kind == record.Report {
			fs_ = append(fs_, a.cite(baseFS, r)...)
		}
		if a.data {
			fs_ = append(fs_, ownership(t, r, opts.Author, devicesOnly)...)
		}
	}
	fs_ = append(fs_, a.uncited()...)

	today := t.settings.Date(opts.Now)
	p := &pipeline{t: t, prepared: func(k record.Kind) *policy.Prepared {
		if k == record.Person || k == record.Device {
			return regPrep
		}
		return basePrep
	}}
	v, err := p.run(ctx, source{fsys: headFS, parsed: parsedItems(a.files, recs, fss), refDate: func(string) string { return today }})
	if err != nil {
		return nil, err
	}
	fs_ = append(fs_, v.findings...)
	fs_ = v.silence(fs_, exceptionsOf(t.exceptions))
	fs_ = append(fs_, expiry(exceptionsOf(v.exceptions), v.refDate, today)...)
	res.Findings, res.Checked = finding.Cap(fs_, finding.MaxPerFile), len(a.files)
	res.Exceptions = inForce(t.exceptions, v.deviceOf, today)
	return res, nil
}

func overlay(base map[string]*record.Record, recs []*record.Record, k record.Kind) map[string]*record.Record {
	out := make(map[string]*record.Record, len(base))
	for id, r := range base {
		out[id] = r
	}
	for _, r := range recs {
		if r != nil && r.Kind == k {
			out[record.IDOf(r.Path)] = r
		}
	}
	return out
}

func touches(recs []*record.Record, kinds ...record.Kind) bool {
	for _, r := range recs {
		for _, k := range kinds {
			if r != nil && r.Kind == k {
				return true
			}
		}
	}
	return false
}

// Package check runs posture's checks: it finds the records to check, reads
// what it trusts, validates each record against its schema and the policies,
// applies exceptions, and returns the findings.
package check

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/posture-dev/posture/internal/codeowners"
	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/policy"
	"github.com/posture-dev/posture/internal/record"
)

// Result is what one check found.
type Result struct {
	Findings []finding.Finding
	// Checked counts the files checked.
	Checked int
	// Rules lists every policy rule the check knew.
	Rules []policy.RuleInfo
	// Exceptions are the exceptions in force (on the base, in pull-request
	// mode) for the devices the checked records are about: what a
	// reviewer should know was waived.
	Exceptions []Exception
}

// Exception is an approved exception: one rule waived for one device until
// a day.
type Exception struct {
	Path, Rule, Device, Expires, Reason string
}

// Options of a full check of a working tree.
type Options struct {
	// Dir is the repository's root folder.
	Dir string
	// Paths limits the check to these files and folders, relative to Dir.
	Paths []string
	// Now is the time of the check: the reference time of records that are
	// not committed.
	Now time.Time
}

// Full checks the records in a working tree: every record, or those under
// opts.Paths. Everything in the tree is trusted; a record that is committed
// unchanged is judged as of the commit that last changed it.
func Full(ctx context.Context, opts Options) (*Result, error) {
	root, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", opts.Dir, err)
	}
	if info, err := os.Stat(root); err != nil || !info.IsDir() {
		return nil, &InputError{fmt.Sprintf("%s is not a folder", opts.Dir)}
	}
	fsys := os.DirFS(root)
	if !looksLikeRepo(fsys) {
		return nil, &InputError{fmt.Sprintf("%s holds no posture records: expected people/, devices/ or reports/ there (use --dir to name the repository's root)", opts.Dir)}
	}
	t, fs_, err := loadRules(fsys)
	if err != nil {
		return nil, err
	}
	files, walked, err := walk(fsys, nil)
	if err != nil {
		return nil, err
	}
	selected := map[string]bool{}
	if len(opts.Paths) > 0 {
		only, _, err := walk(fsys, opts.Paths)
		if err != nil {
			return nil, &InputError{err.Error()}
		}
		for _, f := range only {
			selected[f.path] = true
		}
	}
	keep := func(p string) bool { return len(opts.Paths) == 0 || selected[p] }

	fs_ = append(fs_, walked...)
	blobs := readBlobs(ctx, fsys, files)
	refDates, err := fullRefDates(root, t, blobs, opts.Now)
	if err != nil {
		return nil, err
	}

	// The registry is read first and kept (compacted) for the whole run;
	// reports are parsed, checked and dropped one by one.
	regRecs := make([]*record.Record, len(blobs))
	regFs := make([][]finding.Finding, len(blobs))
	parallel(ctx, len(blobs), func(i int) {
		if blobs[i].kind == record.Report {
			return
		}
		rec, fs := blobs[i].parse()
		if rec != nil {
			if keep(rec.Path) {
				fs = append(fs, t.schemas.Validate(rec)...)
			}
			rec.Compact()
		}
		regRecs[i], regFs[i] = rec, fs
	})
	t.index(regRecs)
	broken := unreadable{}
	for i, b := range blobs {
		if b.kind != record.Report && regRecs[i] == nil {
			broken[b.path] = true
		}
	}
	prepared, err := t.prepare(ctx, t.people, t.devices)
	if err != nil {
		return nil, err
	}

	type outcome struct {
		fs     []finding.Finding
		device string // a report's device, for duplicates and exceptions
		period string
		at     [2]int // where a report names its device
		err    error
	}
	outs := make([]outcome, len(blobs))
	parallel(ctx, len(blobs), func(i int) {
		b := &blobs[i]
		if !keep(b.path) {
			return
		}
		o := &outs[i]
		rec, fs := regRecs[i], regFs[i]
		if b.kind == record.Report {
			rec, fs = b.parse()
			if rec != nil {
				fs = append(fs, t.schemas.Validate(rec)...)
				fs = append(fs, evidence(fsys, rec)...)
				o.device, o.period = rec.String("device"), rec.String("period")
				o.at[0], o.at[1] = rec.Pos("device")
			}
		} else if rec != nil && b.kind == record.Device {
			o.device = record.IDOf(b.path)
		}
		b.data = nil
		if rec == nil {
			o.fs = fs
			return
		}
		o.fs, o.err = judge(ctx, t, subject{rec: rec, refDate: refDates[b.path], prepared: prepared}, fs)
		o.fs = broken.explain(rec, o.fs)
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	deviceOf := map[string]string{}
	var reports []reportKey
	for i, o := range outs {
		if o.err != nil {
			return nil, o.err
		}
		fs_ = append(fs_, o.fs...)
		if o.device != "" {
			deviceOf[blobs[i].path] = o.device
		}
		if blobs[i].kind == record.Report && o.device != "" {
			reports = append(reports, reportKey{path: blobs[i].path, device: o.device, period: o.period, line: o.at[0], col: o.at[1]})
		}
	}
	fs_ = append(fs_, duplicates(reports)...)

	today := t.settings.Date(opts.Now)
	excs := exceptionsOf(t.exceptions)
	fs_ = silence(fs_, excs, refDates, deviceOf)
	var mine []*exception
	for _, e := range excs {
		if keep(e.rec.Path) {
			mine = append(mine, e)
		}
	}
	fs_ = append(fs_, expiry(mine, refDates, today)...)
	if len(opts.Paths) == 0 {
		fs_ = append(fs_, unused(excs, today)...)
		fs_ = append(fs_, codeowners.Check(fsys, t.people, t.settings.ProtectedPaths)...)
		fs_ = append(fs_, workflowTimezones(fsys, t.settings)...)
	}
	var out []finding.Finding
	for _, f := range fs_ {
		if keep(f.File) || (f.File == "posture.yaml" || f.File == codeowners.File) && len(opts.Paths) == 0 {
			out = append(out, f)
		}
	}
	checked := len(files)
	if len(opts.Paths) > 0 {
		checked = len(selected)
	}
	return &Result{Findings: finding.Cap(out, finding.MaxPerFile), Checked: checked, Rules: t.engine.Rules()}, nil
}

func looksLikeRepo(fsys fs.FS) bool {
	for _, d := range []string{record.PeopleDir, record.DevicesDir, record.ReportsDir, "posture.yaml"} {
		if exists(fsys, d) {
			return true
		}
	}
	return false
}

// InputError is a problem with what the user asked for: a folder or a
// revision that does not exist. The command exits 2 on it.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

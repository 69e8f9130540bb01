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
// opts.Paths (reading only what they need, see fullNamed). Everything in
// the tree is trusted; a record that is committed unchanged is judged as of
// the commit that last changed it.
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
	if len(opts.Paths) > 0 {
		return fullNamed(ctx, root, fsys, t, opts)
	}
	files, walked, err := walk(fsys, nil)
	if err != nil {
		return nil, err
	}
	fs_ = append(fs_, walked...)
	blobs := readBlobs(ctx, fsys, files)
	refDates, err := fullRefDates(root, t, blobs, opts.Now)
	if err != nil {
		return nil, err
	}

	// The registry is read first and kept (compacted) for the whole run;
	// reports are parsed, checked and dropped one by one.
	items := make([]item, len(blobs))
	parallel(ctx, len(blobs), func(i int) {
		it := item{blob: blobs[i]}
		if it.kind != record.Report {
			it.rec, it.fs = it.blob.parse()
			it.parsed, it.blob.data = true, nil
			if it.rec != nil {
				it.fs, it.validated = append(it.fs, t.schemas.Validate(it.rec)...), true
				it.rec.Compact()
			}
		}
		items[i] = it
	})
	blobs = nil
	regRecs := make([]*record.Record, len(items))
	broken := unreadable{}
	for i, it := range items {
		regRecs[i] = it.rec
		if it.kind != record.Report && it.rec == nil {
			broken[it.path] = true
		}
	}
	t.index(regRecs)
	prepared, err := t.prepare(ctx, t.people, t.devices)
	if err != nil {
		return nil, err
	}

	p := &pipeline{t: t, prepared: samePrepared(prepared), broken: broken}
	v, err := p.run(ctx, source{fsys: fsys, items: items, refDate: func(p string) string { return refDates[p] }})
	if err != nil {
		return nil, err
	}
	fs_ = append(fs_, v.findings...)
	fs_ = append(fs_, duplicates(v.reports)...)

	today := t.settings.Date(opts.Now)
	excs := exceptionsOf(t.exceptions)
	fs_ = v.silence(fs_, excs)
	fs_ = append(fs_, expiry(exceptionsOf(v.exceptions), refDates, today)...)
	fs_ = append(fs_, unused(excs, today)...)
	fs_ = append(fs_, codeowners.Check(fsys, t.people, t.settings.ProtectedPaths)...)
	fs_ = append(fs_, workflowTimezones(fsys, t.settings)...)
	return &Result{Findings: finding.Cap(fs_, finding.MaxPerFile), Checked: len(files), Rules: t.engine.Rules()}, nil
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

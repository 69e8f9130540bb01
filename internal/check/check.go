// Package check runs posture's checks: it finds the records to check, reads
// what it trusts, validates each record against its schema and the policies,
// applies exceptions, and returns the findings.
package check

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/posture-dev/posture/internal/codeowners"
	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/gitrepo"
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
	h, err := openHistory(root)
	if err != nil {
		return nil, err
	}
	defer h.close()
	h.ctx = ctx

	// The registry is read, validated and converted for the policies
	// first. Reports are only stamped (read and hashed, when the history
	// needs it); the pipeline reads each again, judges it and drops it.
	var regFiles, reports []file
	for _, f := range files {
		if f.kind == record.Report {
			reports = append(reports, f)
		} else {
			regFiles = append(regFiles, f)
		}
	}
	items := make([]item, len(regFiles))
	stamps := make([]stamp, len(files))
	parallel(ctx, len(regFiles), func(i int) {
		b := readBlob(fsys, regFiles[i])
		if b.data != nil {
			if h.hashes() {
				stamps[i] = stamp{hash: gitrepo.BlobHash(b.data), ok: true}
			}
			// The record keeps its text for the positions of its
			// findings: no more of it than the file holds.
			b.data = bytes.Clone(b.data)
		}
		it := item{file: b.file}
		if it.rec, it.fs = b.parse(); it.rec != nil {
			it.fs, it.validated = append(it.fs, t.schemas.Validate(it.rec)...), true
			if it.kind == record.Person || it.kind == record.Device {
				var err error
				if it.doc, err = t.conv.Of(it.rec.Data); err == nil && it.rec.String("role") != "it-admin" {
					// The policies read the Doc, the pipeline reads its
					// fields from it too: the registry is held once. The
					// IT admins keep theirs for CODEOWNERS, which is
					// theirs alone (codeowners.Owners).
					it.rec.Data = nil
				} // on an error, prepare converts it again and says why
			}
			it.rec.Compact()
		}
		items[i] = it
	})
	if h.hashes() {
		parallel(ctx, len(reports), func(i int) {
			if data, err := fs.ReadFile(fsys, reports[i].path); err == nil {
				stamps[len(regFiles)+i] = stamp{hash: gitrepo.BlobHash(data), ok: true}
			}
		})
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	refDates, err := h.refDates(t, append(regFiles, reports...), stamps, opts.Now)
	if err != nil {
		return nil, err
	}
	stamps = nil

	regRecs := make([]*record.Record, len(items))
	broken := unreadable{}
	for i, it := range items {
		regRecs[i] = it.rec
		if it.rec == nil {
			broken[it.path] = true
		} else if !it.doc.IsZero() {
			t.docs[it.rec] = it.doc
		}
	}
	t.index(regRecs)
	regRecs = nil
	fs_ = append(fs_, codeowners.Check(fsys, t.people, t.settings.ProtectedPaths)...)
	prepared, err := t.prepare(ctx, t.people, t.devices)
	if err != nil {
		return nil, err
	}
	// From here on the policies hold the registry; each record is dropped
	// once the pipeline has judged it.
	t.people, t.devices, t.docs = nil, nil, nil

	p := &pipeline{t: t, prepared: samePrepared(prepared), broken: broken}
	v, err := p.run(ctx, source{fsys: fsys, parsed: items, files: reports, refDate: refDates.of})
	if err != nil {
		return nil, err
	}
	items = nil
	fs_ = append(fs_, v.findings...)
	fs_ = append(fs_, duplicates(v.reports)...)

	today := t.settings.Date(opts.Now)
	excs := exceptionsOf(t.exceptions)
	fs_ = v.silence(fs_, excs)
	fs_ = append(fs_, expiry(exceptionsOf(v.exceptions), v.refDate, today)...)
	fs_ = append(fs_, unused(excs, today)...)
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

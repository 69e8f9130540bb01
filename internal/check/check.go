// Package check runs posture's checks: it finds the records to check, reads
// what it trusts, validates each record against its schema and the policies,
// applies exceptions, and returns the findings.
package check

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
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
	files = reportsLast(files)
	n := slices.IndexFunc(files, func(f file) bool { return f.kind == record.Report })
	if n < 0 {
		n = len(files)
	}
	regFiles, reports := files[:n:n], files[n:]
	items := make([]item, len(regFiles))
	stamps := make([]stamp, len(files))
	errs := make([]error, len(regFiles))
	parallel(ctx, len(regFiles), func(i int) {
		b := readBlob(fsys, regFiles[i])
		if b.data != nil && h.hashes() {
			stamps[i] = stamp{hash: gitrepo.BlobHash(b.data), ok: true}
		}
		it := item{file: b.file}
		if it.rec, it.fs = b.parse(); it.rec != nil {
			it.fs, it.validated = append(it.fs, t.schemas.Validate(it.rec)...), true
			if it.kind == record.Person || it.kind == record.Device {
				it.doc, errs[i] = t.conv.Of(it.rec.Data)
				if errs[i] == nil && it.rec.String("role") != "it-admin" {
					// Held as the policies read it, and nothing else:
					// the registry is held once. The IT admins keep
					// their records for CODEOWNERS, which is theirs
					// alone (codeowners.Owners).
					it.rec, it.held = nil, true
				}
			}
			if it.rec != nil {
				it.rec.Compact()
			}
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
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("prepare policies: %w", err)
	}
	refDates, err := h.refDates(t, files, stamps, opts.Now)
	if err != nil {
		return nil, err
	}
	stamps, regFiles = nil, nil

	people, devices := map[string]policy.Doc{}, map[string]policy.Doc{}
	admins := map[string]*record.Record{}
	broken := unreadable{}
	for _, it := range items {
		id := record.IDOf(it.path)
		switch {
		case it.rec == nil && !it.held:
			broken[it.path] = true
		case it.kind == record.Person:
			people[id] = it.doc
			if it.rec != nil {
				admins[id] = it.rec
			}
		case it.kind == record.Device:
			devices[id] = it.doc
		case it.kind == record.Exception:
			t.exceptions = append(t.exceptions, it.rec)
		}
	}
	fs_ = append(fs_, codeowners.Check(fsys, admins, t.settings.ProtectedPaths)...)
	prepared, err := t.prepareDocs(ctx, people, devices)
	if err != nil {
		return nil, err
	}
	people, devices, admins = nil, nil, nil

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

// reportsLast orders files, sorted by path, with the reports last: as they
// are already (reports/ sorts after devices/, people/ and
// policies/exceptions/), or else in a copy.
func reportsLast(files []file) []file {
	i := slices.IndexFunc(files, func(f file) bool { return f.kind == record.Report })
	if i < 0 || !slices.ContainsFunc(files[i:], func(f file) bool { return f.kind != record.Report }) {
		return files
	}
	out := make([]file, 0, len(files))
	for _, f := range files {
		if f.kind != record.Report {
			out = append(out, f)
		}
	}
	for _, f := range files {
		if f.kind == record.Report {
			out = append(out, f)
		}
	}
	return out
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

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
	recs, hashes, parsed := readAll(ctx, fsys, files)
	fs_ = append(fs_, parsed...)
	t.index(recs)

	refDates, err := fullRefDates(root, t, recs, hashes, opts.Now)
	if err != nil {
		return nil, err
	}
	prepared, err := t.prepare(ctx, t.people, t.devices)
	if err != nil {
		return nil, err
	}
	var subs []subject
	var reports []*record.Record
	deviceOf := map[string]string{}
	for _, r := range recs {
		if r == nil || !keep(r.Path) {
			continue
		}
		subs = append(subs, subject{rec: r, refDate: refDates[r.Path], prepared: prepared})
		switch r.Kind {
		case record.Report:
			reports = append(reports, r)
			deviceOf[r.Path] = r.String("device")
			fs_ = append(fs_, evidence(fsys, r)...)
		case record.Device:
			deviceOf[r.Path] = record.IDOf(r.Path)
		}
	}
	evaluated, err := evaluate(ctx, t, subs)
	if err != nil {
		return nil, err
	}
	fs_ = append(fs_, evaluated...)
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
	}
	var out []finding.Finding
	for _, f := range fs_ {
		if keep(f.File) || f.File == "posture.yaml" && len(opts.Paths) == 0 {
			out = append(out, f)
		}
	}
	checked := len(files)
	if len(opts.Paths) > 0 {
		checked = len(selected)
	}
	return &Result{Findings: finding.Sort(out), Checked: checked, Rules: t.engine.Rules()}, nil
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

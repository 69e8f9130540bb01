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
	"slices"
	"strings"
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
	// Cache, when set, holds what earlier checks found, and keeps what
	// this one finds. A check looks its records up once, and may forget
	// what it read from the cache then: use a Cache for one full check (a
	// check of named paths does not use it: it reads too little to need
	// it).
	Cache *Cache
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

	files = reportsLast(files)
	n := slices.IndexFunc(files, func(f file) bool { return f.kind == record.Report })
	if n < 0 {
		n = len(files)
	}
	regFiles, reports := files[:n:n], files[n:]

	// Every file is read first only for what dates it (its Git blob hash)
	// and what the cache knows it by (its SHA-256); the registry is parsed
	// and the policies run only for the records the cache has no entry of.
	c := opts.Cache
	sc := scanFiles(ctx, root, fsys, files, h.hashes(), c != nil)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	refDates, err := h.refDates(t, files, sc.stamps, opts.Now)
	if err != nil {
		return nil, err
	}
	sc.stamps = nil
	excItems, excRecs := parseExceptions(ctx, t, fsys, regFiles)
	t.exceptions = exceptionList(excItems)

	var sums treeSums
	hits := make([]*entry, len(files))
	if c != nil {
		if sums.rules, err = rulesSum(fsys); err != nil {
			return nil, err
		}
		paths := make([]string, len(files))
		for i, f := range files {
			paths[i] = f.path
		}
		sums.registry = registrySum(paths, sc.sums)
		dg := newDigests(fsys)
		parallel(ctx, len(files), func(i int) {
			if sum := sc.sums[i]; sum != "" {
				hits[i], _ = c.get(c.key(sums, files[i], sum, refDates.of(files[i].path)), files[i], sum, dg)
			}
		})
	}
	v := &verdicts{refDate: refDates.of, deviceOf: map[string]string{}}
	for i, e := range hits {
		if e != nil {
			v.add(e.outcome(files[i], excRecs[files[i].path]))
		}
	}
	missed := func(k record.Kind, from []file, offset int) []file {
		var out []file
		for i, f := range from {
			if hits[offset+i] == nil && (k == "" || f.kind == k) {
				out = append(out, f)
			}
		}
		return out
	}
	missedReports := missed(record.Report, reports, n)
	missedPeople, missedDevices := missed(record.Person, regFiles, 0), missed(record.Device, regFiles, 0)
	var missedExc []item
	for _, it := range excItems {
		if i, _ := slices.BinarySearchFunc(regFiles, it.path, func(f file, p string) int { return strings.Compare(f.path, p) }); i < len(regFiles) && hits[i] == nil {
			missedExc = append(missedExc, it)
		}
	}
	hits, sc.sums = nil, nil

	p := &pipeline{t: t}
	if c != nil {
		p.keep = func(f file, sum string, o outcome) { c.put(c.key(sums, f, sum, refDates.of(f.path)), f, sum, o) }
	}
	src := source{fsys: fsys, refDate: refDates.of, files: missedReports}
	// A person or device to judge, or many reports: against the whole
	// registry, streaming the reports.
	wholeRegistry := c == nil || len(missedPeople)+len(missedDevices) > 0 || len(missedReports) > maxNamedMisses
	switch {
	case wholeRegistry:
		if c != nil {
			c.store.Forget() // looked up already: the registry needs the room
		}
		w, err := loadWhole(ctx, t, fsys, regFiles, c != nil, nil)
		if err != nil {
			return nil, err
		}
		co := codeowners.Check(fsys, w.admins, t.settings.ProtectedPaths)
		fs_ = append(fs_, co...)
		if c != nil {
			c.putFindings(c.treeKey(sums, codeownersSum(fsys)), co)
		}
		prepared, err := t.prepareDocs(ctx, w.people, w.devices)
		if err != nil {
			return nil, err
		}
		p.prepared, p.broken = samePrepared(prepared), w.broken
		want := map[string]bool{}
		for _, f := range slices.Concat(missedPeople, missedDevices) {
			want[f.path] = true
		}
		for _, it := range w.items {
			if want[it.path] {
				src.parsed = append(src.parsed, it)
			}
		}
		src.parsed = append(src.parsed, missedExc...)
	case len(missedReports)+len(missedExc) > 0:
		// Reports and exceptions alone: against the registry entries they
		// name, as a check of named files judges them (loadRegistry).
		items := parseFiles(ctx, fsys, missedReports, true)
		items = append(items, missedExc...)
		recs := make([]*record.Record, len(items))
		for i, it := range items {
			recs[i] = it.rec
		}
		broken, err := loadRegistry(ctx, t, fsys, recs, false)
		if err != nil {
			return nil, err
		}
		t.exceptions = exceptionList(excItems)
		prepared, err := t.prepare(ctx, t.people, t.devices)
		if err != nil {
			return nil, err
		}
		p.prepared, p.broken = samePrepared(prepared), broken
		src.parsed, src.files = items, nil
	}
	if !wholeRegistry {
		co, err := cachedCodeowners(ctx, c, sums, t, fsys, regFiles)
		if err != nil {
			return nil, err
		}
		fs_ = append(fs_, co...)
	}
	if len(src.parsed)+len(src.files) > 0 {
		judged, err := p.run(ctx, src)
		if err != nil {
			return nil, err
		}
		v.merge(judged)
	}
	t.people, t.devices, t.docs = nil, nil, nil
	slices.SortFunc(v.reports, func(a, b reportKey) int { return strings.Compare(a.path, b.path) })
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

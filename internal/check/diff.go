package check

import (
	"context"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/record"
)

// Rule ids of the pull-request checks.
const (
	ruleMixed   = "change.mixed"
	ruleDeleted = "change.deleted"
	ruleAuthor  = "change.author"
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
// it trusts comes from Base's tip, never from the change.
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
	mb, err := repo.MergeBase(baseC, headC)
	if err != nil {
		return nil, &InputError{err.Error()}
	}
	baseFS, err := repo.TreeFS(baseC)
	if err != nil {
		return nil, err
	}
	headFS, err := repo.TreeFS(headC)
	if err != nil {
		return nil, err
	}
	changes, err := repo.Changes(mb, headC)
	if err != nil {
		return nil, err
	}

	t, _, err := loadRules(baseFS)
	if err != nil {
		return nil, fmt.Errorf("load the base's rules: %w", err)
	}
	fs_, files := classifyChanges(t, changes)
	recs, _, parsed := readAll(ctx, headFS, files)
	fs_ = append(fs_, parsed...)
	if err := loadRegistry(ctx, t, baseFS, recs); err != nil {
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
	today := t.settings.Date(opts.Now)
	refDates := map[string]string{}
	deviceOf := map[string]string{}
	var subs []subject
	var excRecs []*record.Record
	for _, r := range recs {
		if r == nil {
			continue
		}
		refDates[r.Path] = today
		prep := basePrep
		switch r.Kind {
		case record.Person, record.Device:
			prep = regPrep
		}
		subs = append(subs, subject{rec: r, refDate: today, prepared: prep})
		switch r.Kind {
		case record.Report:
			deviceOf[r.Path] = r.String("device")
			fs_ = append(fs_, evidence(headFS, r)...)
		case record.Device:
			deviceOf[r.Path] = record.IDOf(r.Path)
		case record.Exception:
			excRecs = append(excRecs, r)
		}
		if opts.Author != "" {
			fs_ = append(fs_, authorship(t, r, opts.Author)...)
		}
	}
	evaluated, err := evaluate(ctx, t, subs)
	if err != nil {
		return nil, err
	}
	fs_ = append(fs_, evaluated...)
	fs_ = silence(fs_, exceptionsOf(t.exceptions), refDates, deviceOf)
	fs_ = append(fs_, expiry(exceptionsOf(excRecs), refDates, today)...)
	return &Result{Findings: finding.Sort(fs_), Checked: len(files), Rules: t.engine.Rules()}, nil
}

// classifyChanges refuses what a pull request may not do and returns the
// record files to check on the head.
func classifyChanges(t *trusted, changes []gitrepo.Change) ([]finding.Finding, []file) {
	var out []finding.Finding
	var files []file
	var data, protected []string
	for _, c := range changes {
		k, isRecord, problem := record.Classify(c.Path)
		if t.settings.Protected(c.Path) {
			protected = append(protected, c.Path)
		}
		if isRecord && (k == record.Report || k == record.Device) || strings.HasPrefix(c.Path, record.ReportsDir+"/") {
			data = append(data, c.Path)
		}
		if c.Action == gitrepo.Deleted {
			if isRecord && k != record.Exception {
				out = append(out, deletion(c.Path, k))
			}
			continue
		}
		if c.To.Mode == filemode.Symlink || c.To.Mode == filemode.Submodule {
			if isRecord || inRecordDir(c.Path) {
				out = append(out, finding.At(c.Path, ruleLink, finding.Deny,
					"%s is a symbolic link or submodule; posture never follows links: commit the file itself", c.Path))
			}
			continue
		}
		if isRecord {
			files = append(files, file{path: c.Path, kind: k, problem: problem})
		}
	}
	if len(data) > 0 {
		for _, p := range protected {
			out = append(out, finding.At(p, ruleMixed, finding.Deny,
				"this pull request changes %s together with reports or devices (%s); trusted files are changed in their own pull request, reviewed by IT: move this change out", p, data[0]))
		}
	}
	return out, files
}

func deletion(p string, k record.Kind) finding.Finding {
	msg := map[record.Kind]string{
		record.Report: "deleting a report is refused: accepted reports are the audit trail. Correct it with a new commit instead",
		record.Device: "deleting a device is refused: a retired device keeps its file. Set status: retired with a retirement date, reason and data_disposition",
		record.Person: "deleting a person is refused: set active: false instead, so that their history stays readable",
	}[k]
	return finding.At(p, ruleDeleted, finding.Deny, "%s", msg)
}

// authorship refuses a report or device that the pull request's author does
// not own. IT admins may register devices for others.
func authorship(t *trusted, r *record.Record, author string) []finding.Finding {
	var who, field string
	switch r.Kind {
	case record.Report:
		who, field = r.String("reporter"), "reporter"
		if d := t.devices[r.String("device")]; d != nil && d.String("owner") != who {
			who = d.String("owner")
		}
	case record.Device:
		who, field = r.String("owner"), "owner"
		for _, p := range t.people {
			if strings.EqualFold(p.String("github"), author) && p.String("role") == "it-admin" && p.Data["active"] == true {
				return nil
			}
		}
	default:
		return nil
	}
	p := t.people[who]
	if p != nil && strings.EqualFold(p.String("github"), author) {
		return nil
	}
	login := "nobody registered"
	if p != nil {
		login = "@" + p.String("github")
	}
	line, col := r.Pos(field)
	return []finding.Finding{{File: r.Path, Line: line, Column: col, Rule: ruleAuthor, Severity: finding.Deny,
		Message: fmt.Sprintf("this pull request is by @%s, but %s %q belongs to %s; employees report and register only their own devices", author, r.Kind, record.IDOf(r.Path), login)}}
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

// loadRegistry reads the base's registry. A change to people or devices is
// judged against all of them (a MAC or a login must be unique, a
// supervisor chain must not loop); a change of reports or exceptions alone
// needs only the devices and people they name, found by their file names, so
// that checking a pull request costs what its diff costs, not what the
// repository holds.
func loadRegistry(ctx context.Context, t *trusted, baseFS fs.FS, changed []*record.Record) error {
	whole := touches(changed, record.Person, record.Device)
	dirs := []string{record.ExceptionsDir}
	if whole {
		dirs = append(dirs, record.PeopleDir, record.DevicesDir)
	}
	var files []file
	for _, d := range dirs {
		if !exists(baseFS, d) {
			continue
		}
		fs_, _, err := walk(baseFS, []string{d})
		if err != nil {
			return fmt.Errorf("read the base's records: %w", err)
		}
		files = append(files, fs_...)
	}
	recs, _, _ := readAll(ctx, baseFS, files)
	if !whole {
		// The devices the reports and exceptions name, then the people:
		// reporters, approvers and the devices' owners.
		devices, _, _ := readAll(ctx, baseFS, named(baseFS, record.DevicesDir, record.Device, changed, "device"))
		people, _, _ := readAll(ctx, baseFS, named(baseFS, record.PeopleDir, record.Person, append(changed, devices...), "reporter", "approved_by", "owner"))
		recs = append(append(recs, devices...), people...)
	}
	t.index(recs)
	return nil
}

// named lists the files in dir of the ids that the records name in the
// given fields (records are matched to their file by id), once each.
func named(baseFS fs.FS, dir string, k record.Kind, recs []*record.Record, fields ...string) []file {
	seen := map[string]bool{}
	var out []file
	for _, r := range recs {
		if r == nil {
			continue
		}
		for _, f := range fields {
			id := r.String(f)
			p := dir + "/" + id + ".yaml"
			if id == "" || !record.ValidID(id) || seen[p] || !exists(baseFS, p) {
				continue
			}
			seen[p] = true
			out = append(out, file{path: p, kind: k})
		}
	}
	return out
}

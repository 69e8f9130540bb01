package check

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"time"

	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/record"
)

// fullNamed checks the records at and below opts.Paths of a working tree,
// reading only what they need: their own files, the registry entries they
// name (loadRegistry says which), the exceptions, and the history of their
// own paths for their reference dates. Everything in the tree is trusted,
// as in a check of the whole tree, whose findings about these records it
// gives.
func fullNamed(ctx context.Context, root string, fsys fs.FS, t *trusted, opts Options) (*Result, error) {
	files, fs_, checked, err := walkNamed(fsys, opts.Paths)
	if err != nil {
		return nil, &InputError{err.Error()}
	}
	if len(files) > manyNamed {
		return fullNamedMany(ctx, root, fsys, t, files, fs_, checked, opts.Now)
	}
	blobs := readBlobs(ctx, fsys, files)
	refDates, err := fullRefDates(root, t, blobs, opts.Now)
	if err != nil {
		return nil, err
	}
	items := make([]item, len(blobs))
	recs := make([]*record.Record, len(blobs))
	parallel(ctx, len(blobs), func(i int) {
		it := item{file: blobs[i].file}
		it.rec, it.fs = blobs[i].parse()
		items[i], recs[i] = it, it.rec
	})
	blobs = nil
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	broken, err := loadRegistry(ctx, t, fsys, recs, false)
	if err != nil {
		return nil, err
	}
	prepared, err := t.prepare(ctx, t.people, t.devices)
	if err != nil {
		return nil, err
	}
	p := &pipeline{t: t, prepared: samePrepared(prepared), broken: broken}
	v, err := p.run(ctx, source{fsys: fsys, parsed: items, refDate: refDates.of})
	if err != nil {
		return nil, err
	}
	return namedResult(t, v, fs_, checked, opts.Now), nil
}

// namedResult is the result of a check of named records: what the walk
// found, fs_, then the verdicts v on the records, with the exceptions in
// force applied. The checks across the whole tree (an exception that
// silences nothing, CODEOWNERS) are left to a check of the whole tree.
func namedResult(t *trusted, v *verdicts, fs_ []finding.Finding, checked int, now time.Time) *Result {
	fs_ = append(fs_, v.findings...)
	fs_ = append(fs_, duplicates(v.reports)...)
	fs_ = v.silence(fs_, exceptionsOf(t.exceptions))
	fs_ = append(fs_, expiry(exceptionsOf(v.exceptions), v.refDate, t.settings.Date(now))...)
	return &Result{Findings: finding.Cap(fs_, finding.MaxPerFile), Checked: checked, Rules: t.engine.Rules()}
}

// manyNamed is the most records a check of named records parses first to
// read only the registry entries they name; past it, fullNamedMany.
var manyNamed = maxNamedMisses

// fullNamedMany checks many named records (a folder such as reports/) as
// a check of the whole tree judges them: against the whole registry, each
// record read, judged and dropped in turn, rather than all of them parsed
// first to learn which registry entries they name, which would hold every
// one of them at once.
func fullNamedMany(ctx context.Context, root string, fsys fs.FS, t *trusted, files []file, fs_ []finding.Finding, checked int, now time.Time) (*Result, error) {
	h, err := openHistory(root)
	if err != nil {
		return nil, err
	}
	defer h.close()
	h.ctx = ctx
	sc := scanFiles(ctx, root, fsys, files, h.hashes(), false)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	refDates, err := h.refDates(t, files, sc.stamps, now)
	if err != nil {
		return nil, err
	}
	var dirs []string
	for _, d := range []string{record.ExceptionsDir, record.PeopleDir, record.DevicesDir} {
		if exists(fsys, d) {
			dirs = append(dirs, d)
		}
	}
	regFiles, _, err := walk(fsys, dirs)
	if err != nil {
		return nil, fmt.Errorf("read the registry: %w", err)
	}
	named := make(map[string]bool, len(files))
	for _, f := range files {
		named[f.path] = true
	}
	excItems, _ := parseExceptions(ctx, t, fsys, regFiles)
	t.exceptions = exceptionList(excItems)
	w, err := loadWhole(ctx, t, fsys, regFiles, false, named)
	if err != nil {
		return nil, err
	}
	prepared, err := t.prepareDocs(ctx, w.people, w.devices)
	if err != nil {
		return nil, err
	}
	src := source{fsys: fsys, refDate: refDates.of}
	parsed := map[string]bool{}
	for _, it := range slices.Concat(w.items, excItems) {
		if named[it.path] {
			src.parsed = append(src.parsed, it)
			parsed[it.path] = true
		}
	}
	w.items = nil
	for _, f := range files {
		if !parsed[f.path] {
			src.files = append(src.files, f)
		}
	}
	p := &pipeline{t: t, prepared: samePrepared(prepared), broken: w.broken}
	v, err := p.run(ctx, src)
	if err != nil {
		return nil, err
	}
	return namedResult(t, v, fs_, checked, now), nil
}

// walkNamed lists the record files at and below the paths only (relative
// to the root of fsys, a working tree) as the walk of the whole tree finds
// them, without reading the rest of the tree: a link or a submodule is
// reported and not followed, also on the way to a named path. checked
// counts the record files named, links among them.
func walkNamed(fsys fs.FS, only []string) (files []file, fs_ []finding.Finding, checked int, err error) {
	for _, root := range only {
		info, err := fs.Lstat(fsys, root)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, 0, fmt.Errorf("%s: no such file or folder", root)
		}
		if err != nil {
			return nil, nil, 0, fmt.Errorf("read %s: %w", root, err)
		}
		if via := behind(fsys, root); via != "" {
			fs_ = append(fs_, finding.At(root, ruleLink, finding.Deny,
				"%s is inside %s, a symbolic link or submodule; posture never follows links: replace it with the folder itself", root, via))
			continue
		}
		switch {
		case !info.IsDir():
			files, fs_ = addFile(files, fs_, root, info.Mode().Type(), false)
			if _, ok, _ := record.Classify(root); ok && irregular(info.Mode().Type()) {
				checked++ // a link to a record, which the check refuses
			}
		case inRecordDir(root) && isSubmoduleDir(fsys, root):
			fs_ = append(fs_, submodule(root))
		default:
			if files, fs_, err = walkDir(fsys, root, files, fs_); err != nil {
				return nil, nil, 0, err
			}
		}
	}
	files = sortFiles(files)
	return files, fs_, checked + len(files), nil
}

// behind returns the folder on the way to p, below a record folder, that
// the walk of the whole tree does not enter (a link or a submodule), or "".
// The record folders themselves, and the folders above them, are followed
// as the walk of the whole tree follows them.
func behind(fsys fs.FS, p string) string {
	for i := range len(p) {
		if p[i] != '/' {
			continue
		}
		dir := p[:i]
		if !inRecordDir(dir) {
			continue
		}
		info, err := fs.Lstat(fsys, dir)
		if err == nil && irregular(info.Mode().Type()) || isSubmoduleDir(fsys, dir) {
			return dir
		}
	}
	return ""
}

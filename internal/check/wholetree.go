package check

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/posture-dev/posture/internal/cache"
	"github.com/posture-dev/posture/internal/codeowners"
	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/policy"
	"github.com/posture-dev/posture/internal/record"
)

// maxNamedMisses is the most reports a full check judges, when the cache
// knows every person and device, against the registry entries they name
// (parsing them all first); past it the check loads the whole registry and
// streams the reports.
const maxNamedMisses = 1000

// scanned is what a first read of every file of a tree learnt: stamps for
// the history, sums for the cache ("" where unknown).
type scanned struct {
	stamps []stamp
	sums   []string
}

// scanFiles reads every file of fsys (os.DirFS(root)) once, for its Git
// blob hash (gitHash) and its SHA-256 (sums), and keeps nothing else of
// it. With neither it reads nothing. A file that cannot be read is left
// without either: the pipeline reads it again and says why it cannot.
func scanFiles(ctx context.Context, root string, fsys fs.FS, files []file, gitHash, sums bool) scanned {
	sc := scanned{stamps: make([]stamp, len(files)), sums: make([]string, len(files))}
	if !gitHash && !sums {
		return sc
	}
	parallel(ctx, len(files), func(i int) {
		scanRead(root, fsys, files[i].path, func(data []byte) {
			if gitHash {
				sc.stamps[i] = stamp{hash: gitrepo.BlobHash(data), ok: true}
			}
			if sums {
				sc.sums[i] = sumOf(data)
			}
		})
	})
	return sc
}

// scanReadFS reads the file p of fsys and calls fn with its bytes.
func scanReadFS(fsys fs.FS, p string, fn func([]byte)) bool {
	data, err := fs.ReadFile(fsys, p)
	if err != nil {
		return false
	}
	fn(data)
	return true
}

// parseFiles reads and parses files, each with the SHA-256 of its bytes
// when sums is set.
func parseFiles(ctx context.Context, fsys fs.FS, files []file, sums bool) []item {
	items := make([]item, len(files))
	parallel(ctx, len(files), func(i int) {
		b := readBlob(fsys, files[i])
		it := item{file: files[i]}
		if sums && b.data != nil {
			it.sum = sumOf(b.data)
		}
		it.rec, it.fs = b.parse()
		items[i] = it
	})
	return items
}

// parseExceptions reads and validates the exception records among files:
// the exceptions in force, which every check applies, and records to judge.
func parseExceptions(ctx context.Context, t *trusted, fsys fs.FS, files []file) ([]item, map[string]*record.Record) {
	var excFiles []file
	for _, f := range files {
		if f.kind == record.Exception {
			excFiles = append(excFiles, f)
		}
	}
	items := parseFiles(ctx, fsys, excFiles, true)
	recs := map[string]*record.Record{}
	for i := range items {
		if it := &items[i]; it.rec != nil {
			it.fs, it.validated = append(it.fs, t.schemas.Validate(it.rec)...), true
			recs[it.path] = it.rec
		}
	}
	return items, recs
}

// exceptionList lists the records of items, in their order.
func exceptionList(items []item) []*record.Record {
	var out []*record.Record
	for _, it := range items {
		if it.rec != nil {
			out = append(out, it.rec)
		}
	}
	return out
}

// whole is the registry of a tree, loaded whole.
type whole struct {
	// items are the people and devices, each held as its Doc (IT admins
	// with their records too), or with the findings of its reading.
	items           []item
	people, devices map[string]policy.Doc
	// admins are the people whose role is it-admin, with their records:
	// CODEOWNERS is theirs alone (codeowners.Owners).
	admins map[string]*record.Record
	broken unreadable
}

// loadWhole reads, validates and converts the people and devices among
// files, each once, with its SHA-256 when sums is set. When judged is set,
// only the records it holds are validated: the others are the registry of
// a check of named records, read and never judged.
func loadWhole(ctx context.Context, t *trusted, fsys fs.FS, files []file, sums bool, judged map[string]bool) (*whole, error) {
	var regFiles []file
	for _, f := range files {
		if f.kind == record.Person || f.kind == record.Device {
			regFiles = append(regFiles, f)
		}
	}
	items := make([]item, len(regFiles))
	errs := make([]error, len(regFiles))
	parallel(ctx, len(regFiles), func(i int) {
		b := readBlob(fsys, regFiles[i])
		it := item{file: b.file}
		if sums && b.data != nil {
			it.sum = sumOf(b.data)
		}
		if it.rec, it.fs = b.parse(); it.rec != nil {
			if judged == nil || judged[it.path] {
				it.fs, it.validated = append(it.fs, t.schemas.Validate(it.rec)...), true
			}
			it.doc, errs[i] = t.conv.Of(it.rec.Data)
			if errs[i] == nil && it.rec.String("role") != "it-admin" {
				// Held as the policies read it, and nothing else: the
				// registry is held once.
				it.rec, it.held = nil, true
			} else {
				it.rec.Compact()
			}
		}
		items[i] = it
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("prepare policies: %w", err)
	}
	w := &whole{items: items, people: map[string]policy.Doc{}, devices: map[string]policy.Doc{},
		admins: map[string]*record.Record{}, broken: unreadable{}}
	for _, it := range items {
		id := record.IDOf(it.path)
		switch {
		case it.rec == nil && !it.held:
			w.broken[it.path] = true
		case it.kind == record.Person:
			w.people[id] = it.doc
			if it.rec != nil {
				w.admins[id] = it.rec
			}
		default:
			w.devices[id] = it.doc
		}
	}
	return w, nil
}

// codeownersSum is the digest of the CODEOWNERS file of fsys ("none"
// without one, or what stops it being read).
func codeownersSum(fsys fs.FS) string {
	data, err := fs.ReadFile(fsys, codeowners.File)
	if err != nil {
		return "unread: " + err.Error()
	}
	return sumOf(data)
}

// cachedCodeowners checks CODEOWNERS against the IT admins of people/, as
// the cache has it or, when it has not, reading the people.
func cachedCodeowners(ctx context.Context, c *Cache, sums treeSums, t *trusted, fsys fs.FS, files []file) ([]finding.Finding, error) {
	var k cache.Key
	if c != nil {
		k = c.treeKey(sums, codeownersSum(fsys))
		if fs_, ok := c.getFindings(k); ok {
			return fs_, nil
		}
	}
	var people []file
	for _, f := range files {
		if f.kind == record.Person {
			people = append(people, f)
		}
	}
	admins := map[string]*record.Record{}
	for _, it := range parseFiles(ctx, fsys, people, false) {
		if it.rec != nil && it.rec.String("role") == "it-admin" {
			admins[record.IDOf(it.path)] = it.rec
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	fs_ := codeowners.Check(fsys, admins, t.settings.ProtectedPaths)
	if c != nil {
		c.putFindings(k, fs_)
	}
	return fs_, nil
}

// merge adds what another run of the pipeline found to v.
func (v *verdicts) merge(o *verdicts) {
	v.findings = append(v.findings, o.findings...)
	for p, d := range o.deviceOf {
		v.deviceOf[p] = d
	}
	v.reports = append(v.reports, o.reports...)
	v.exceptions = append(v.exceptions, o.exceptions...)
}

package check

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/posture-dev/posture/internal/record"
)

// loadRegistry reads the registry that the records recs are judged by
// from fsys (a pull request's base, or the working tree of a check of
// named files) into t. A record of people or devices is judged against all
// of them, as the registry rules read them whole (a MAC or a login must be
// unique, a supervisor chain must not loop); reports and exceptions need
// only the devices and people they name (the device, the reporter, the
// approver, the device's owner), found by their file names, so that a
// check costs what its records need, not what the repository holds. The
// exceptions are read whole, and the whole registry when the policies hold
// the organisation's own modules (policies/local/), which may read any of
// it.
//
// strict fails closed, as a pull request's base must: a file that cannot
// be read or parsed stops the check. Otherwise (a working tree, where
// everything is the user's own) such files come back as unreadable, and
// a record naming one is told so.
func loadRegistry(ctx context.Context, t *trusted, fsys fs.FS, recs []*record.Record, strict bool) (unreadable, error) {
	// The shipped rules read only the records a report names; the
	// organisation's own rules (policies/local/) may read any.
	whole := touches(recs, record.Person, record.Device) || t.engine.HasLocal()
	dirs := []string{record.ExceptionsDir}
	if whole {
		dirs = append(dirs, record.PeopleDir, record.DevicesDir)
	}
	var files []file
	for _, d := range dirs {
		if !exists(fsys, d) {
			continue
		}
		fs_, _, err := walk(fsys, []string{d})
		if err != nil {
			return nil, fmt.Errorf("read the registry: %w", err)
		}
		files = append(files, fs_...)
	}
	broken := unreadable{}
	read := func(files []file) ([]*record.Record, error) {
		if strict {
			return readTrustedRecords(ctx, fsys, files)
		}
		got, _ := readAll(ctx, fsys, files)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for i, r := range got {
			if r == nil {
				broken[files[i].path] = true
			} else {
				r.Compact()
			}
		}
		return got, nil
	}
	reg, err := read(files)
	if err != nil {
		return nil, err
	}
	if !whole {
		// The devices the reports and exceptions name, then the people:
		// reporters, approvers and the devices' owners.
		devices, err := read(named(fsys, record.DevicesDir, record.Device, recs, !strict, devicesNamed))
		if err != nil {
			return nil, err
		}
		people, err := read(named(fsys, record.PeopleDir, record.Person, append(recs, devices...), !strict, fields("reporter", "approved_by", "owner")))
		if err != nil {
			return nil, err
		}
		reg = append(append(reg, devices...), people...)
	}
	t.index(reg)
	return broken, nil
}

// readTrustedRecords reads records of the base that a check trusts, failing
// closed: a file that cannot be read or parsed stops the check with what is
// missing, rather than leaving a person or device out of the registry.
func readTrustedRecords(ctx context.Context, baseFS fs.FS, files []file) ([]*record.Record, error) {
	recs, fss := readAll(ctx, baseFS, files)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for i, r := range recs {
		if r != nil {
			continue
		}
		why := "it cannot be read"
		for _, f := range fss[i] {
			if f.File == files[i].path {
				why = f.String()
				break
			}
		}
		return nil, fmt.Errorf("%s on the base cannot be trusted (%s); fix it on the base branch first: posture judges nothing against a half-read registry", files[i].path, why)
	}
	return recs, nil
}

// devicesNamed are the devices a record names: its device field, and for
// a report the device its path names (reports/<period>/<device>.yaml),
// whose owner the report belongs to whatever its field says.
func devicesNamed(r *record.Record) []string {
	ids := []string{r.String("device")}
	if r.Kind == record.Report {
		ids = append(ids, record.IDOf(r.Path))
	}
	return ids
}

// fields returns the ids a record names in the given fields.
func fields(names ...string) func(*record.Record) []string {
	return func(r *record.Record) []string {
		ids := make([]string, len(names))
		for i, f := range names {
			ids[i] = r.String(f)
		}
		return ids
	}
}

// named lists the files in dir of the ids that ids finds in the records
// (records are matched to their file by id, <id>.yaml or <id>.yml as the
// walk of a whole tree finds them), once each. regular leaves out what the
// walk of a tree leaves out: links and other files that are not regular (a
// working tree's; a commit's tree refuses to read them, which fails a
// strict read closed).
func named(fsys fs.FS, dir string, k record.Kind, recs []*record.Record, regular bool, ids func(*record.Record) []string) []file {
	seen := map[string]bool{}
	var out []file
	for _, r := range recs {
		if r == nil {
			continue
		}
		for _, id := range ids(r) {
			if id == "" || !record.ValidID(id) {
				continue
			}
			for _, ext := range []string{".yaml", ".yml"} {
				p := dir + "/" + id + ext
				if seen[p] {
					continue
				}
				seen[p] = true
				info, err := fs.Lstat(fsys, p)
				if err != nil || regular && !info.Mode().IsRegular() {
					continue
				}
				_, _, problem := record.Classify(p)
				out = append(out, file{path: p, kind: k, problem: problem})
			}
		}
	}
	return out
}

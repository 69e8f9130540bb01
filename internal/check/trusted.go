package check

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/posture-dev/posture"
	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/policy"
	"github.com/posture-dev/posture/internal/record"
	"github.com/posture-dev/posture/internal/schema"
	"github.com/posture-dev/posture/internal/settings"
)

// trusted is everything a check relies on rather than checks: settings,
// schemas, policies, the people and device registry and the exceptions. In
// pull-request mode it comes from the base commit, never from the change.
type trusted struct {
	settings   settings.Settings
	schemas    *schema.Set
	engine     *policy.Engine
	people     map[string]*record.Record
	devices    map[string]*record.Record
	exceptions []*record.Record
	// docs holds registry records as the policies see them, converted
	// once by conv; data converts the others.
	docs map[*record.Record]policy.Doc
	conv *policy.Docs
	// builtIn is set when the tree had no policies/ and the built-in
	// defaults stand in.
	builtIn bool
	// admin holds itAdmin's answers by login, so that a pull request of
	// thousands of devices scans the people once, not once per device.
	admin map[string]bool
}

// loadRules reads settings, schemas and policies from fsys, falling back to
// the built-in defaults where the tree has no schemas/ folder, or no
// policies at all (no data file and no Rego file in policies/). What the
// tree has but posture cannot read (a missing object, a link, a broken file)
// is an error, never a reason to fall back.
func loadRules(fsys fs.FS) (*trusted, []finding.Finding, error) {
	t := &trusted{docs: map[*record.Record]policy.Doc{}, conv: policy.NewDocs()}
	s, fs_, err := settings.Load(fsys)
	if err != nil {
		return nil, nil, err
	}
	t.settings = s
	schemaFS := fsys
	if has, err := present(fsys, schema.Dir); err != nil {
		return nil, nil, err
	} else if !has {
		schemaFS, t.builtIn = posture.Defaults, true
	}
	if t.schemas, err = schema.Load(schemaFS, schema.Dir); err != nil {
		return nil, nil, err
	}
	if s.Record != nil {
		fs_ = append(fs_, besidesSettings(t.schemas.ValidateSettings(s.Record), fs_)...)
	}
	policyFS := fsys
	if has, err := hasPolicies(fsys); err != nil {
		return nil, nil, err
	} else if !has {
		policyFS, t.builtIn = posture.Defaults, true
	}
	if t.engine, err = policy.Load(policyFS, record.PolicyDir); err != nil {
		return nil, nil, err
	}
	return t, fs_, nil
}

// besidesSettings returns the schema's findings about posture.yaml less
// those at a place where settings.Load has reported a value it could not
// use: a report_due_day of 31 breaks the schema's maximum and the calendar
// alike, and the settings finding, which says what to set and which default
// stands in meanwhile, is the one kept.
func besidesSettings(schemaFs, settingsFs []finding.Finding) []finding.Finding {
	type place struct {
		file      string
		line, col int
	}
	said := map[place]bool{}
	for _, f := range settingsFs {
		if strings.HasPrefix(f.Rule, "settings.") {
			said[place{f.File, f.Line, f.Column}] = true
		}
	}
	return slices.DeleteFunc(schemaFs, func(f finding.Finding) bool { return said[place{f.File, f.Line, f.Column}] })
}

// loadTrusted reads the rules a pull request is judged by from the base's
// tree, failing closed: a settings file with problems stops the check as
// well, since its defaults would stand in for the organisation's values.
func loadTrusted(fsys fs.FS) (*trusted, error) {
	t, fs_, err := loadRules(fsys)
	if err != nil {
		return nil, err
	}
	for _, f := range fs_ {
		if f.Severity == finding.Deny {
			return nil, fmt.Errorf("%s on the base cannot be trusted (%s); fix it on the base branch first: posture judges nothing by half-read settings", f.File, f)
		}
	}
	return t, nil
}

// present reports whether p is in fsys; an error other than its absence
// (an unreadable tree, say) is returned, not taken for absence.
func present(fsys fs.FS, p string) (bool, error) {
	_, err := fs.Stat(fsys, p)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	}
	return false, fmt.Errorf("read %s: %w", p, err)
}

// hasPolicies reports whether fsys holds policies of its own: the data file
// or any Rego file in policies/ or below it (policies/local/ included). A
// policies/ folder with neither (exceptions only) leaves the built-in
// policies in force; one with Rego but no data file is refused by
// policy.Load, never taken for the built-in set.
func hasPolicies(fsys fs.FS) (bool, error) {
	if has, err := present(fsys, path.Join(record.PolicyDir, policy.ConfigFile)); has || err != nil {
		return has, err
	}
	found := false
	err := fs.WalkDir(fsys, record.PolicyDir, func(p string, d fs.DirEntry, err error) error {
		switch {
		case errors.Is(err, fs.ErrNotExist) && p == record.PolicyDir:
			return fs.SkipAll
		case err != nil:
			return err
		case d.IsDir() && p == record.ExceptionsDir:
			return fs.SkipDir
		case strings.HasSuffix(p, ".rego"):
			found = true
			return fs.SkipAll
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("read %s: %w", record.PolicyDir, err)
	}
	return found, nil
}

func exists(fsys fs.FS, p string) bool {
	_, err := fs.Stat(fsys, p)
	return err == nil
}

// index files the parsed records of the registry by their file's id. The
// id inside a file that disagrees with its name is a finding of its own; the
// registry goes by the name, which is what paths and references use.
func (t *trusted) index(recs []*record.Record) {
	t.people = map[string]*record.Record{}
	t.devices = map[string]*record.Record{}
	t.exceptions = nil
	for _, r := range recs {
		if r == nil {
			continue
		}
		switch r.Kind {
		case record.Person:
			t.people[record.IDOf(r.Path)] = r
		case record.Device:
			t.devices[record.IDOf(r.Path)] = r
		case record.Exception:
			t.exceptions = append(t.exceptions, r)
		}
	}
}

// data returns what the policies see as data.settings and data.registry.
func (t *trusted) data(people, devices map[string]*record.Record) (map[string]any, error) {
	reg := func(m map[string]*record.Record) (map[string]policy.Doc, error) {
		out := make(map[string]policy.Doc, len(m))
		for id, r := range m {
			d, ok := t.docs[r]
			if !ok {
				var err error
				if d, err = t.conv.Of(r.Data); err != nil {
					return nil, fmt.Errorf("convert %s: %w", r.Path, err)
				}
				t.docs[r] = d
			}
			out[id] = d
		}
		return out, nil
	}
	ps, err := reg(people)
	if err != nil {
		return nil, err
	}
	ds, err := reg(devices)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"settings": t.settings.Data(),
		"registry": map[string]any{"people": ps, "devices": ds},
	}, nil
}

// prepareDocs readies the policies with a registry held as the policies
// read it.
func (t *trusted) prepareDocs(ctx context.Context, people, devices map[string]policy.Doc) (*policy.Prepared, error) {
	p, err := t.engine.Prepare(ctx, map[string]any{
		"settings": t.settings.Data(),
		"registry": map[string]any{"people": people, "devices": devices},
	})
	if err != nil {
		return nil, fmt.Errorf("prepare policies: %w", err)
	}
	return p, nil
}

// prepare readies the policies with a registry.
func (t *trusted) prepare(ctx context.Context, people, devices map[string]*record.Record) (*policy.Prepared, error) {
	data, err := t.data(people, devices)
	if err != nil {
		return nil, fmt.Errorf("prepare policies: %w", err)
	}
	p, err := t.engine.Prepare(ctx, data)
	if err != nil {
		return nil, fmt.Errorf("prepare policies: %w", err)
	}
	return p, nil
}

// blob is a record file's content, read once.
type blob struct {
	file
	data []byte
	// fs holds the findings about the file itself: misplaced, unreadable.
	fs []finding.Finding
}

// readBlobs reads the files of fsys concurrently.
func readBlobs(ctx context.Context, fsys fs.FS, files []file) []blob {
	blobs := make([]blob, len(files))
	parallel(ctx, len(files), func(i int) { blobs[i] = readBlob(fsys, files[i]) })
	return blobs
}

// readBlob reads one file of fsys.
func readBlob(fsys fs.FS, f file) blob {
	b := blob{file: f}
	if b.problem != "" {
		b.fs = append(b.fs, finding.At(b.path, ruleLocation, finding.Deny, "%s", b.problem))
	}
	data, err := fs.ReadFile(fsys, b.path)
	if err != nil {
		msg := "could not read the file: " + err.Error()
		if errors.Is(err, gitrepo.ErrNotRegular) {
			msg = "the file is a link or submodule; posture never follows links: replace it with the file itself"
		}
		b.fs = append(b.fs, finding.At(b.path, ruleRead, finding.Deny, "%s", msg))
	} else {
		b.data = data
	}
	return b
}

// parse parses a blob read without error; rec is nil otherwise.
func (b *blob) parse() (*record.Record, []finding.Finding) {
	if b.data == nil {
		return nil, b.fs
	}
	rec, fs := record.Parse(b.path, b.kind, b.data)
	return rec, append(b.fs, fs...)
}

// readAll reads and parses the files of fsys concurrently: each file's
// record (nil when it could not be read) and the findings of reading it.
func readAll(ctx context.Context, fsys fs.FS, files []file) ([]*record.Record, [][]finding.Finding) {
	blobs := readBlobs(ctx, fsys, files)
	recs := make([]*record.Record, len(files))
	fss := make([][]finding.Finding, len(files))
	parallel(ctx, len(files), func(i int) {
		recs[i], fss[i] = blobs[i].parse()
		blobs[i].data = nil
	})
	return recs, fss
}

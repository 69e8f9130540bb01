package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/posture-dev/posture/bench/equiv"
	"github.com/posture-dev/posture/internal/record"
	"github.com/posture-dev/posture/internal/settings"
)

// ruleFiles are what conftest and opa eval need to run posture's own policy
// set on an organisation, written by writePostureRules.
type ruleFiles struct {
	rules   string // posture's .rego files, without tests
	derived string // data.derived as a Rego module
	data    string // data.registry, data.settings, data.config and data.bench, JSON
	input   string // every report as posture's input document, for opa eval
	records int    // reports in input
}

// writePostureRules lays out, in dir, posture's policy set as conftest and
// opa eval run it on the organisation org: the .rego files of org/policies
// (not the _test.rego files, not exceptions/), and the data document posture
// hands them. data.registry holds the people and devices by file id,
// data.settings what posture.yaml gives the policies, data.config the policy
// data files at their folders' paths, and data.derived the lookups that
// posture computes once per run from package posture.derived. data.derived
// holds sets, which JSON cannot express, so it is a Rego module of
// constants, not part of the JSON. data.bench tells the shims what posture
// knows about a file besides its content: the kind and the reference date of
// each record folder, and the organisation's root (conftest gives a policy
// the file's absolute folder).
//
// Records are decoded as conftest decodes them (equiv.Decode: dates stay
// text), which for the generated organisations are the values posture gives
// its policies; the agreement check would show a difference.
func writePostureRules(org, dir, at string) (*ruleFiles, error) {
	root, err := filepath.Abs(org)
	if err != nil {
		return nil, err
	}
	f := &ruleFiles{
		rules:   filepath.Join(dir, "rules"),
		derived: filepath.Join(dir, "derived-data.rego"),
		data:    filepath.Join(dir, "posture-data.json"),
		input:   filepath.Join(dir, "input.json"),
	}
	fsys := os.DirFS(root)
	s, _, err := settings.Load(fsys)
	if err != nil {
		return nil, err
	}
	atDay, err := time.ParseInLocation(time.DateOnly, at, s.Location)
	if err != nil {
		return nil, fmt.Errorf("-at %q: %w", at, err)
	}
	recs, err := readRecords(fsys)
	if err != nil {
		return nil, err
	}
	people, devices := map[string]any{}, map[string]any{}
	kinds, refDates := map[string]any{}, map[string]any{}
	var reports []any
	for _, r := range recs {
		dir := path.Dir(r.path)
		kinds[dir] = string(r.kind)
		ref := s.Date(atDay)
		if r.kind == record.Report {
			if due, ok := s.DueDate(record.PeriodOf(r.path)); ok {
				ref = due.Format(time.DateOnly)
			}
		}
		refDates[dir] = ref
		switch r.kind {
		case record.Person:
			people[record.IDOf(r.path)] = r.data
		case record.Device:
			devices[record.IDOf(r.path)] = r.data
		case record.Report:
			reports = append(reports, map[string]any{"kind": string(r.kind), "path": r.path, "ref_date": ref, "record": r.data})
		}
	}
	doc, err := policyData(fsys)
	if err != nil {
		return nil, err
	}
	doc["registry"] = map[string]any{"people": people, "devices": devices}
	doc["settings"] = s.Data()
	doc["bench"] = map[string]any{"root": filepath.ToSlash(root), "kinds": kinds, "ref_dates": refDates}
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(f.data, data, 0o644); err != nil {
		return nil, err
	}
	modules, err := copyRules(fsys, f.rules)
	if err != nil {
		return nil, err
	}
	derived, err := deriveModule(modules, data)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(f.derived, []byte(derived), 0o644); err != nil {
		return nil, err
	}
	input, err := json.Marshal(map[string]any{"records": reports})
	if err != nil {
		return nil, err
	}
	f.records = len(reports)
	return f, os.WriteFile(f.input, input, 0o644)
}

// decoded is one record file of the organisation.
type decoded struct {
	path string
	kind record.Kind
	data map[string]any
}

// readRecords decodes the record files of fsys, sorted by path. A file that
// is not a well-placed, well-formed record is an error: the generated
// organisations have none.
func readRecords(fsys fs.FS) ([]decoded, error) {
	var out []decoded
	for _, d := range record.Dirs {
		err := fs.WalkDir(fsys, d, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			kind, ok, problem := record.Classify(p)
			if !ok {
				return nil
			}
			if problem != "" {
				return fmt.Errorf("%s: %s", p, problem)
			}
			b, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			v, err := equiv.Decode(b)
			if err != nil {
				return fmt.Errorf("parse %s: %w", p, err)
			}
			m, ok := v.(map[string]any)
			if !ok {
				return fmt.Errorf("%s is not a mapping", p)
			}
			out = append(out, decoded{path: p, kind: kind, data: m})
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	slices.SortFunc(out, func(a, b decoded) int { return strings.Compare(a.path, b.path) })
	return out, nil
}

// policyData reads the data files under policies/ as posture and OPA lay
// them out: each file's mapping at the data path of its folder
// (policies/config/data.yaml is data.config). The exceptions folder and
// hidden files are left out, as posture leaves them.
func policyData(fsys fs.FS) (map[string]any, error) {
	doc := map[string]any{}
	err := fs.WalkDir(fsys, record.PolicyDir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != record.PolicyDir && (strings.HasPrefix(e.Name(), ".") || p == record.ExceptionsDir) {
			if e.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if e.IsDir() || !slices.Contains([]string{"data.yaml", "data.yml", "data.json"}, e.Name()) {
			return nil
		}
		folder := strings.TrimPrefix(path.Dir(p), record.PolicyDir+"/")
		if folder == record.PolicyDir {
			return fmt.Errorf("%s: posture refuses a data file directly in %s", p, record.PolicyDir)
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		v, err := equiv.Decode(b)
		if err != nil {
			return fmt.Errorf("parse %s: %w", p, err)
		}
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%s is not a mapping", p)
		}
		at := doc
		for _, step := range strings.Split(folder, "/") {
			next, ok := at[step].(map[string]any)
			if !ok {
				next = map[string]any{}
				at[step] = next
			}
			at = next
		}
		for k, v := range m {
			at[k] = v
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the policy data: %w", err)
	}
	return doc, nil
}

// copyRules copies the .rego files of policies/ that posture compiles (not
// _test.rego, not under exceptions/ or hidden folders) into dir, keeping
// their paths, and returns their sources by path.
func copyRules(fsys fs.FS, dir string) (map[string]string, error) {
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	modules := map[string]string{}
	err := fs.WalkDir(fsys, record.PolicyDir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != record.PolicyDir && (strings.HasPrefix(e.Name(), ".") || p == record.ExceptionsDir) {
			if e.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if e.IsDir() || !strings.HasSuffix(p, ".rego") || strings.HasSuffix(p, "_test.rego") {
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(p, record.PolicyDir+"/")))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		modules[p] = string(b)
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		return nil, fmt.Errorf("copy the policies: %w", err)
	}
	if len(modules) == 0 {
		return nil, fmt.Errorf("no .rego files in %s", record.PolicyDir)
	}
	return modules, nil
}

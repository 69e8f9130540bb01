package policy

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// The data files posture reads under the policy folder, by name: the names
// that OPA bundles read, so that `opa test policies/` and `opa test -b
// policies/` see the same data document as posture check.
var dataFiles = []string{"data.yaml", "data.yml", "data.json"}

// reservedData are the top-level data paths posture fills in itself (and
// data.posture, which holds the policies): no data file may sit under them.
var reservedData = []string{"registry", "settings", "derived", "posture", exceptionsDir}

// readData reads the data files under dir the way OPA's loader lays them
// out: each file's content at the data path of its folder relative to dir,
// so that dir/config/data.yaml becomes data.config and
// dir/local/acme/data.yaml data.local.acme. It refuses what OPA would read
// but posture would not (another YAML or JSON file, a data file directly in
// dir), data under the paths posture fills in itself, and data.config
// missing.
func readData(fsys fs.FS, dir string) (map[string]any, error) {
	doc := map[string]any{}
	var errs []error
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if skip(dir, p, d) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if rel := strings.TrimPrefix(p, dir+"/"); p != dir && !strings.Contains(rel, "/") && slices.Contains(reservedData, rel) {
				errs = append(errs, fmt.Errorf("%s: data.%s is filled in by posture; move this folder's files elsewhere", p, rel))
				return fs.SkipDir
			}
			return nil
		}
		ext := path.Ext(p)
		if ext != ".yaml" && ext != ".yml" && ext != ".json" {
			return nil
		}
		folder := path.Dir(p)
		switch {
		case !slices.Contains(dataFiles, d.Name()):
			errs = append(errs, fmt.Errorf("%s: OPA would load this file as data and posture would not; move its content into %s", p, path.Join(folder, "data.yaml")))
			return nil
		case folder == dir:
			errs = append(errs, fmt.Errorf("%s: a data file directly in %s spreads its keys over the data root; move it to %s, which OPA and posture read as data.config", p, dir, path.Join(dir, ConfigFile)))
			return nil
		}
		v, err := readDataFile(fsys, p)
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		if err := insert(doc, strings.Split(strings.TrimPrefix(folder, dir+"/"), "/"), v, p); err != nil {
			errs = append(errs, err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read policy data: %w", err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if _, ok := doc["config"].(map[string]any); !ok {
		return nil, fmt.Errorf("read policy data: %s is missing; the rules read their thresholds, SSIDs and OS table from it as data.config", path.Join(dir, ConfigFile))
	}
	return doc, nil
}

// skip says whether the walk of dir leaves p alone: the exceptions folder
// (records, not policy data) and hidden files and folders.
func skip(dir, p string, d fs.DirEntry) bool {
	if p == dir {
		return false
	}
	return strings.HasPrefix(d.Name(), ".") || d.IsDir() && path.Dir(p) == dir && d.Name() == exceptionsDir
}

// readDataFile reads one data file, which must hold a mapping.
func readDataFile(fsys fs.FS, name string) (map[string]any, error) {
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read policy data: %w", err)
	}
	v, err := parseData(src)
	if err != nil {
		return nil, fmt.Errorf("read policy data %s: %w", name, err)
	}
	return v, nil
}

// insert merges v into doc at the path at, as OPA merges data files: objects
// merge key by key, and two files that give the same key different values
// conflict.
func insert(doc map[string]any, at []string, v map[string]any, file string) error {
	for _, step := range at {
		next, ok := doc[step]
		if !ok {
			next = map[string]any{}
			doc[step] = next
		}
		m, ok := next.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: data.%s is already a value in another data file", file, strings.Join(at, "."))
		}
		doc = m
	}
	return merge(doc, v, file, at)
}

func merge(dst, src map[string]any, file string, at []string) error {
	for k, v := range src {
		old, ok := dst[k]
		if !ok {
			dst[k] = v
			continue
		}
		om, ok1 := old.(map[string]any)
		vm, ok2 := v.(map[string]any)
		if !ok1 || !ok2 {
			return fmt.Errorf("%s: data.%s is also set by another data file", file, strings.Join(append(slices.Clone(at), k), "."))
		}
		if err := merge(om, vm, file, append(slices.Clone(at), k)); err != nil {
			return err
		}
	}
	return nil
}

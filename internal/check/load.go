package check

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/record"
)

// Rule ids of findings about the files themselves rather than their content.
const (
	ruleLink     = "file.link"
	ruleLocation = "file.location"
	ruleRead     = "file.read"
)

// file is a record file found in a tree, not yet parsed.
type file struct {
	path    string
	kind    record.Kind
	problem string // a misplaced or misnamed file: the finding to make
}

// irregular reports whether a directory entry is something posture refuses
// to follow: a symbolic link, a submodule or a device file.
func irregular(t fs.FileMode) bool {
	return t&(fs.ModeSymlink|fs.ModeIrregular|fs.ModeDevice|fs.ModeNamedPipe|fs.ModeSocket|fs.ModeCharDevice) != 0
}

// walk lists the record files below the record folders of fsys (or below
// only, when given: folders and files relative to the root). Links and
// submodules are reported as findings and never followed.
func walk(fsys fs.FS, only []string) ([]file, []finding.Finding, error) {
	if len(only) > 0 {
		return walkRoots(fsys, only, true)
	}
	return walkRoots(fsys, record.Dirs, false)
}

// walkRoots is walk below roots; named roots must exist, and a file among
// them that is no record is a finding.
func walkRoots(fsys fs.FS, roots []string, named bool) ([]file, []finding.Finding, error) {
	var files []file
	var fs_ []finding.Finding
	for _, root := range roots {
		info, err := fs.Stat(fsys, root)
		if errors.Is(err, fs.ErrNotExist) {
			if named {
				return nil, nil, fmt.Errorf("%s: no such file or folder", root)
			}
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", root, err)
		}
		if !info.IsDir() {
			files, fs_ = addFile(files, fs_, root, info.Mode().Type(), named)
			continue
		}
		if files, fs_, err = walkDir(fsys, root, files, fs_); err != nil {
			return nil, nil, err
		}
	}
	return sortFiles(files), fs_, nil
}

// walkDir adds the record files below the folder root to files, and what
// it does not follow to fs_.
func walkDir(fsys fs.FS, root string, files []file, fs_ []finding.Finding) ([]file, []finding.Finding, error) {
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("read %s: %w", p, err)
		}
		if d.IsDir() {
			if p != root && isSubmoduleDir(fsys, p) {
				fs_ = append(fs_, submodule(p))
				return fs.SkipDir
			}
			return nil
		}
		files, fs_ = addFile(files, fs_, p, d.Type(), false)
		return nil
	})
	return files, fs_, err
}

func submodule(p string) finding.Finding {
	return finding.At(p, ruleLink, finding.Deny, "%s is a Git submodule; records must be plain files in this repository", p)
}

// sortFiles sorts files by path, each once.
func sortFiles(files []file) []file {
	slices.SortFunc(files, func(a, b file) int { return strings.Compare(a.path, b.path) })
	return slices.CompactFunc(files, func(a, b file) bool { return a.path == b.path })
}

func addFile(files []file, fs_ []finding.Finding, p string, t fs.FileMode, named bool) ([]file, []finding.Finding) {
	k, ok, problem := record.Classify(p)
	if irregular(t) {
		if ok || inRecordDir(p) {
			what := "a symbolic link"
			if t&fs.ModeSymlink == 0 {
				what = "not a regular file"
			}
			fs_ = append(fs_, finding.At(p, ruleLink, finding.Deny,
				"%s is %s; posture never follows links: replace it with the file itself", p, what))
		}
		return files, fs_
	}
	if !ok {
		if named {
			fs_ = append(fs_, finding.At(p, ruleLocation, finding.Deny,
				"%s is not a record: records are people/<id>.yaml, devices/<id>.yaml, reports/YYYY-MM/<device-id>.yaml and policies/exceptions/<id>.yaml", p))
		}
		return files, fs_
	}
	return append(files, file{path: p, kind: k, problem: problem}), fs_
}

func inRecordDir(p string) bool {
	for _, d := range record.Dirs {
		if strings.HasPrefix(p, d+"/") {
			return true
		}
	}
	return false
}

func isSubmoduleDir(fsys fs.FS, dir string) bool {
	_, err := fs.Stat(fsys, path.Join(dir, ".git"))
	return err == nil
}

package scaffold

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/posture-dev/posture/internal/atomicfile"
	"github.com/posture-dev/posture/internal/codeowners"
	"github.com/posture-dev/posture/internal/record"
	"github.com/posture-dev/posture/internal/settings"
)

// Create writes a complete organisation repository into dir, an empty
// folder, and makes it a Git repository whose branch main has one commit of
// it, by the IT admin at p.Now: the seeds, the policy data, the managed
// files, .github/CODEOWNERS from people/, and posture.lock. devices/ and
// reports/ are made empty (Git keeps no empty folder, so a clone has them
// once a record arrives). It returns the files it wrote.
func Create(dir string, p Params) ([]File, error) {
	seeds, err := SeedFiles(p)
	if err != nil {
		return nil, err
	}
	data, err := DefaultData(p)
	if err != nil {
		return nil, err
	}
	managed, err := ManagedFiles(p)
	if err != nil {
		return nil, err
	}
	files := append(append(seeds, data), managed...)
	for _, f := range files {
		if err := writeFile(dir, f.Path, f.Data); err != nil {
			return nil, err
		}
	}
	owners, err := Codeowners(os.DirFS(dir))
	if err != nil {
		return nil, err
	}
	files = append(files, owners)
	lock := NewLock(p, managed)
	files = append(files, File{Path: LockFile, Data: lock.Marshal(), Kind: Generated})
	for _, f := range files[len(files)-2:] {
		if err := writeFile(dir, f.Path, f.Data); err != nil {
			return nil, err
		}
	}
	for _, d := range []string{record.DevicesDir, record.ReportsDir} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return nil, fmt.Errorf("make %s/: %w", d, err)
		}
	}
	if err := commitAll(dir, p); err != nil {
		return nil, err
	}
	return files, nil
}

// NewLock records managed files as written by p's release.
func NewLock(p Params, managed []File) *Lock {
	l := &Lock{
		Posture: p.Release.Version, Action: Action + "@" + p.Release.Ref,
		Repository: p.Repo, ExampleDevice: p.ExampleDevice,
		Data:  map[string]string{DataFile: p.Release.Version},
		Files: map[string]Entry{},
	}
	for _, f := range managed {
		l.Files[f.Path] = Entry{Version: p.Release.Version, SHA256: Sum(f.Data)}
	}
	return l
}

// Codeowners is .github/CODEOWNERS as posture codeowners makes it from
// the people and the protected paths of the repository in fsys. A linked
// posture.yaml, policy data, posture.lock, people/ or person file stops it
// with a *FolderError before anything is read (CheckSources): CODEOWNERS
// would copy what the link points at, outside the repository perhaps.
func Codeowners(fsys fs.FS) (File, error) {
	if err := CheckSources(fsys); err != nil {
		return File{}, err
	}
	s, _, err := settings.Load(fsys)
	if err != nil {
		return File{}, err
	}
	people, err := ReadPeople(fsys)
	if err != nil {
		return File{}, err
	}
	data, err := codeowners.Generate(people, s.ProtectedPaths)
	if err != nil {
		return File{}, err
	}
	return File{Path: codeowners.File, Data: data, Kind: Generated}, nil
}

// ReadPeople parses the records of people/ of fsys, by the id in their
// file names, for CODEOWNERS: a record that cannot be read stops it with a
// *PersonError, since leaving it out could take its IT admin off the
// owners. Files that are not person records are passed over. posture.yaml,
// the policy data, people/ or a file in it that is a symbolic link stops it
// with a *FolderError before it reads a record: CODEOWNERS would copy what
// the link points at, outside the repository perhaps (see CheckSources).
func ReadPeople(fsys fs.FS) (map[string]*record.Record, error) {
	if err := CheckSources(fsys); err != nil {
		return nil, err
	}
	people := map[string]*record.Record{}
	entries, err := fs.ReadDir(fsys, record.PeopleDir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read people/: %w", err)
	}
	for _, e := range entries {
		p := path.Join(record.PeopleDir, e.Name())
		if k, ok, problem := record.Classify(p); !ok || k != record.Person || problem != "" || !e.Type().IsRegular() {
			continue
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		rec, fs_ := record.Parse(p, record.Person, data)
		if rec == nil {
			why := "it does not parse"
			if len(fs_) > 0 {
				why = fs_[0].String()
			}
			return nil, &PersonError{Path: p, Why: why}
		}
		people[record.IDOf(p)] = rec
	}
	return people, nil
}

// PersonError is a record of people/ that cannot be read while CODEOWNERS
// is made from them.
type PersonError struct {
	Path, Why string
}

func (e *PersonError) Error() string {
	return fmt.Sprintf("%s cannot be read (%s); fix it first: CODEOWNERS is made from people/, and a person left out would lose what they own", e.Path, e.Why)
}

// writeFile writes one file of the repository at dir, making its folders.
func writeFile(dir, p string, data []byte) error {
	full := filepath.Join(dir, filepath.FromSlash(p))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	if err := atomicfile.WriteFile(full, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	return nil
}

// commitAll makes dir a repository on branch main and commits everything
// in it.
func commitAll(dir string, p Params) error {
	repo, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName("main")},
	})
	if err != nil {
		return fmt.Errorf("git init %s: %w", dir, err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return fmt.Errorf("git init %s: %w", dir, err)
	}
	if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
		return fmt.Errorf("git add: %w", err)
	}
	sig := &object.Signature{Name: p.Admin.Name, Email: p.Admin.Email, When: p.Now}
	msg := fmt.Sprintf("posture init: the device security reports of %s\n\nWritten by posture %s. The workflows call %s@%s.\n", p.Org, p.Release.Version, Action, p.Release.Ref)
	if _, err := wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig}); err != nil {
		return fmt.Errorf("git commit: %w", err)
	}
	return nil
}

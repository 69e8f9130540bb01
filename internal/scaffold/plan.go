package scaffold

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/posture-dev/posture/internal/codeowners"
	"github.com/posture-dev/posture/internal/record"
	"github.com/posture-dev/posture/internal/settings"
	"golang.org/x/mod/semver"
)

// Op is what an upgrade does to one file.
type Op string

// The operations of an upgrade.
const (
	Add    Op = "add"    // a file the newer posture ships
	Update Op = "update" // a managed file, unedited, replaced
	Remove Op = "remove" // a managed file the newer posture no longer ships
	Merge  Op = "merge"  // new keys added to the policy data
)

// Change is one file an upgrade changes.
type Change struct {
	Path string
	Op   Op
	// Old is the file now (nil when it is missing), New what it becomes
	// (nil when it is removed).
	Old, New []byte
	// Note says why, for the summary: the keys merged, the file's old
	// version, or why it is refused.
	Note string
	// Refused is set for a file the organisation edited (its hash is not
	// the lock's) or that posture did not write: it changes only with
	// --force.
	Refused bool
}

// Plan is what posture upgrade would do.
type Plan struct {
	// From and To are the versions before and after.
	From, To string
	Changes  []Change
	// Notes are what the upgrade leaves to the IT admin.
	Notes []string
	// Action is what the workflows call after the upgrade
	// (posture-dev/posture@<ref>), whether or not it is refused.
	Action string
	// Lock is the lock file after the upgrade, and LockChanged whether it
	// differs from the one on disk.
	Lock        *Lock
	LockChanged bool
	force       bool
}

// Refused returns the changes refused without --force.
func (pl *Plan) Refused() []Change {
	var out []Change
	for _, c := range pl.Changes {
		if c.Refused {
			out = append(out, c)
		}
	}
	return out
}

// Empty says whether the upgrade has nothing to do.
func (pl *Plan) Empty() bool { return len(pl.Changes) == 0 && !pl.LockChanged }

// PlanUpgrade compares the repository at dir, and its lock, with what
// posture renders for p, and returns the changes that bring it there.
// force lets a refused change through. Nothing is written. A file it reads
// that is a symbolic link or inside one, or in a folder that is not one,
// stops it with a *FolderError (see CheckSources).
func PlanUpgrade(dir string, p Params, lock *Lock, force bool) (*Plan, error) {
	if err := CheckSources(os.DirFS(dir)); err != nil {
		return nil, err
	}
	if !force && semver.IsValid(lock.Posture) && semver.IsValid(p.Release.Version) && semver.Compare(p.Release.Version, lock.Posture) < 0 {
		return nil, &DowngradeError{Lock: lock.Posture, This: p.Release.Version}
	}
	managed, err := ManagedFiles(p)
	if err != nil {
		return nil, err
	}
	pl := &Plan{From: lock.Posture, To: p.Release.Version, force: force}
	next := &Lock{Posture: lock.Posture, Action: Action + "@" + p.Release.Ref, Repository: lock.Repository,
		ExampleDevice: lock.ExampleDevice, Data: map[string]string{}, Files: map[string]Entry{}}
	fresh := Entry{Version: p.Release.Version}
	shipped := map[string]bool{}
	for _, f := range managed {
		shipped[f.Path] = true
		have, err := readIfExists(dir, f.Path)
		if err != nil {
			return nil, err
		}
		old, listed := lock.Files[f.Path]
		fresh.SHA256 = Sum(f.Data)
		switch {
		case have != nil && bytes.Equal(have, f.Data):
			if listed && old.SHA256 == fresh.SHA256 {
				next.Files[f.Path] = old // unchanged, keeps the version that wrote it
			} else {
				next.Files[f.Path] = fresh
			}
			continue
		case have == nil && !listed:
			pl.add(Change{Path: f.Path, Op: Add, New: f.Data, Note: "new in posture " + p.Release.Version})
		case have == nil:
			pl.add(Change{Path: f.Path, Op: Add, New: f.Data, Refused: true,
				Note: fmt.Sprintf("deleted since posture %s wrote it", old.Version)})
		case !listed:
			pl.add(Change{Path: f.Path, Op: Update, Old: have, New: f.Data, Refused: true,
				Note: fmt.Sprintf("not written by posture (not in %s), and posture %s ships a file there", LockFile, p.Release.Version)})
		case Sum(have) != old.SHA256:
			pl.add(Change{Path: f.Path, Op: Update, Old: have, New: f.Data, Refused: true,
				Note: fmt.Sprintf("edited since posture %s wrote it (its sha256 is not the one in %s)", old.Version, LockFile)})
		default:
			pl.add(Change{Path: f.Path, Op: Update, Old: have, New: f.Data, Note: "from posture " + old.Version})
		}
		next.Files[f.Path] = fresh
	}
	for _, path := range slices.Sorted(maps.Keys(lock.Files)) {
		if shipped[path] {
			continue
		}
		old := lock.Files[path]
		have, err := readIfExists(dir, path)
		if err != nil {
			return nil, err
		}
		switch {
		case have == nil:
			// Gone already: it leaves the lock.
		case Sum(have) != old.SHA256:
			pl.add(Change{Path: path, Op: Remove, Old: have, Refused: true,
				Note: fmt.Sprintf("posture %s no longer ships it, and it was edited since posture %s wrote it", p.Release.Version, old.Version)})
			if !force {
				next.Files[path] = old
			}
		default:
			pl.add(Change{Path: path, Op: Remove, Old: have, Note: "posture " + p.Release.Version + " no longer ships it"})
		}
	}
	if err := pl.planData(dir, p, lock, next); err != nil {
		return nil, err
	}
	if err := pl.planCodeowners(dir); err != nil {
		return nil, err
	}
	// A file changed, or the lock's record of the files or the action is
	// behind them (an upgrade cut short after writing the files, before
	// the lock): the repository is now this posture's.
	if len(pl.Changes) > 0 || next.Action != lock.Action || !maps.Equal(next.Files, lock.Files) {
		next.Posture = p.Release.Version
	}
	pl.Action = next.Action
	if !force && len(pl.Refused()) > 0 {
		next = lock // nothing is written
	}
	pl.Lock = next
	have, err := readIfExists(dir, LockFile)
	if err != nil {
		return nil, err
	}
	pl.LockChanged = !bytes.Equal(have, next.Marshal())
	return pl, nil
}

func (pl *Plan) add(c Change) { pl.Changes = append(pl.Changes, c) }

// planData merges the keys of posture's defaults into the policy data.
func (pl *Plan) planData(dir string, p Params, lock, next *Lock) error {
	def, err := DefaultData(p)
	if err != nil {
		return err
	}
	have, err := readIfExists(dir, DataFile)
	if err != nil {
		return err
	}
	next.Data[DataFile] = lock.Data[DataFile]
	if have == nil {
		pl.add(Change{Path: DataFile, Op: Add, New: def.Data, Note: "missing: posture's defaults"})
		next.Data[DataFile] = p.Release.Version
		return nil
	}
	out, added, skipped, err := MergeData(have, def.Data)
	if err != nil {
		return fmt.Errorf("merge the new keys of posture %s into %s: %w", p.Release.Version, DataFile, err)
	}
	for _, k := range skipped {
		pl.Notes = append(pl.Notes, fmt.Sprintf("%s: posture %s brings %s, which is inside a {flow} mapping here: add it by hand", DataFile, p.Release.Version, k))
	}
	if len(added) > 0 {
		pl.add(Change{Path: DataFile, Op: Merge, Old: have, New: out, Note: "new keys with their defaults: " + strings.Join(added, ", ")})
	}
	if len(skipped) == 0 {
		next.Data[DataFile] = p.Release.Version // it holds every key of this posture's defaults
	}
	return nil
}

// planCodeowners brings .github/CODEOWNERS to what posture codeowners
// makes from people/ today, which posture check asks for anyway.
func (pl *Plan) planCodeowners(dir string) error {
	want, err := Codeowners(os.DirFS(dir))
	if errors.Is(err, codeowners.ErrNoOwners) {
		pl.Notes = append(pl.Notes, fmt.Sprintf("%s: %v", codeowners.File, err))
		return nil
	}
	if err != nil {
		return err
	}
	have, err := readIfExists(dir, codeowners.File)
	if err != nil {
		return err
	}
	if !bytes.Equal(have, want.Data) {
		op := Update
		if have == nil {
			op = Add
		}
		pl.add(Change{Path: codeowners.File, Op: op, Old: have, New: want.Data, Note: "made from people/, as posture codeowners makes it"})
	}
	return nil
}

// Apply writes the plan: every change, each file atomically, and the lock
// last, so that an upgrade cut short is finished by running it again. It
// refuses a plan with refused changes, unless it was made with force, and,
// before it writes anything, a change among whose folders is a link or a
// file (a *FolderError).
func (pl *Plan) Apply(dir string) error {
	if refused := pl.Refused(); len(refused) > 0 && !pl.force {
		return fmt.Errorf("the plan refuses %s", refused[0].Path)
	}
	for _, c := range pl.Changes { // everything is checked before anything is written
		if c.Path != DataFile && c.Path != codeowners.File && !Manageable(c.Path) {
			return fmt.Errorf("posture never writes %s", c.Path) // a bug, not a plan
		}
		if err := checkFolders(os.DirFS(dir), c.Path); err != nil {
			return err
		}
	}
	for _, c := range pl.Changes {
		if c.Op == Remove {
			if err := os.Remove(filepath.Join(dir, filepath.FromSlash(c.Path))); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("remove %s: %w", c.Path, err)
			}
			continue
		}
		if err := writeFile(dir, c.Path, c.New); err != nil {
			return err
		}
	}
	if pl.LockChanged {
		return writeFile(dir, LockFile, pl.Lock.Marshal())
	}
	return nil
}

// readIfExists reads the regular file p of the repository at dir; nil
// when there is none. A link (a *FolderError) or a folder there is an
// error: posture replaces only files it can read.
func readIfExists(dir, p string) ([]byte, error) {
	if err := checkFile(os.DirFS(dir), p); err != nil {
		return nil, err
	}
	full := filepath.Join(dir, filepath.FromSlash(p))
	info, err := os.Lstat(full)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file: posture replaces only files; remove it or replace it by a file", p)
	}
	data, err := os.ReadFile(full)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	if data == nil {
		data = []byte{}
	}
	return data, nil
}

// A FolderError says that a file posture upgrade or posture codeowners
// reads, writes or removes is a symbolic link, or that a folder on the way
// to it is a link or not a folder.
type FolderError struct {
	Folder string // the link or the non-folder, slash-separated, from the repository's root
	File   string // the file posture keeps inside it; Folder itself when the file is the link
	Link   bool   // a symbolic link; else not a folder at all
}

// DowngradeError is an upgrade by a posture older than the one that wrote
// the repository: it would put back the older files and remove the rules
// the newer one added, so it needs --force.
type DowngradeError struct {
	Lock, This string // the versions of posture.lock and of this posture
}

func (e *DowngradeError) Error() string {
	return fmt.Sprintf("%s says posture %s wrote the repository; this is posture %s, which is older and would put back its older files and remove the rules %s added: install posture %s or newer and run posture upgrade with it, or run posture upgrade --force to go back",
		LockFile, e.Lock, e.This, e.Lock, e.Lock)
}

// Error names the link or the folder and says what to do.
func (e *FolderError) Error() string {
	switch {
	case e.Link && e.Folder == e.File:
		return fmt.Sprintf("%s is a symbolic link; posture reads and writes only the real files of the repository, never through a link: replace the link with the file itself, then run posture again", e.Folder)
	case e.Link:
		return fmt.Sprintf("%s is a symbolic link; posture reads and writes only the real folders of the repository, never through a link: replace the link with the folder itself, then run posture again", e.Folder)
	}
	return fmt.Sprintf("%s is not a folder, and posture keeps %s inside it: move it away, then run posture again", e.Folder, e.File)
}

// checkFolders refuses the file p of the repository in fsys when one of
// its folders, from the repository's root down, is a symbolic link or not a
// folder. Reading p, os.MkdirAll, os.Remove and a rename all follow a link
// among its folders, and Git keeps links, so a clone could steer posture's
// reads (into the diff it prints), writes and removals outside the
// repository. A folder not there yet is fine: posture makes it.
func checkFolders(fsys fs.FS, p string) error {
	if folder := path.Dir(p); folder != "." {
		return checkFolder(fsys, folder, p)
	}
	return nil
}

// checkFolder refuses folder, in which posture keeps file, when it or a
// folder above it is a symbolic link or not a folder (see checkFolders).
func checkFolder(fsys fs.FS, folder, file string) error {
	parts := strings.Split(folder, "/")
	for i := 1; i <= len(parts); i++ {
		folder := strings.Join(parts[:i], "/")
		info, err := fs.Lstat(fsys, folder)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil
		case err != nil:
			return fmt.Errorf("read %s: %w", folder, err)
		case info.Mode()&fs.ModeSymlink != 0:
			return &FolderError{Folder: folder, File: file, Link: true}
		case !info.IsDir():
			return &FolderError{Folder: folder, File: file}
		}
	}
	return nil
}

// checkFile refuses the file p of the repository in fsys when it, or one
// of its folders, is a symbolic link (see checkFolders). A file not there
// is fine.
func checkFile(fsys fs.FS, p string) error {
	if err := checkFolders(fsys, p); err != nil {
		return err
	}
	info, err := fs.Lstat(fsys, p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("read %s: %w", p, err)
	case info.Mode()&fs.ModeSymlink != 0:
		return &FolderError{Folder: p, File: p, Link: true}
	}
	return nil
}

// CheckSources refuses posture.yaml, the policy data, posture.lock,
// people/ and the files in it when one is a symbolic link or inside one,
// with a *FolderError. posture upgrade
// renders what it reads there into the files it writes (the forms, the
// workflows, CODEOWNERS), and posture codeowners into CODEOWNERS; a link,
// which Git keeps, would have them read, and copy into the repository,
// what it points at outside it. posture check never follows one either.
func CheckSources(fsys fs.FS) error {
	for _, p := range []string{settings.File, DataFile, LockFile} {
		if err := checkFile(fsys, p); err != nil {
			return err
		}
	}
	if err := checkFolder(fsys, record.PeopleDir, record.PeopleDir+"/<id>.yaml"); err != nil {
		return err
	}
	entries, err := fs.ReadDir(fsys, record.PeopleDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read people/: %w", err)
	}
	for _, e := range entries {
		if e.Type()&fs.ModeSymlink != 0 {
			p := path.Join(record.PeopleDir, e.Name())
			return &FolderError{Folder: p, File: p, Link: true}
		}
	}
	return nil
}

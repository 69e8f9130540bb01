package demo

import (
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"testing/fstest"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/posture-dev/posture/internal/record"
	"github.com/posture-dev/posture/internal/settings"
)

// entry is one file of a tree: its mode and blob.
type entry struct {
	mode filemode.FileMode
	hash plumbing.Hash
}

// org is what Populate reads from the freshly initialised repository.
type org struct {
	branch   plumbing.ReferenceName // the branch HEAD names
	root     *object.Commit         // its one commit
	files    map[string]entry       // the root commit's tree
	known    map[plumbing.Hash]bool // every tree and blob of that tree
	settings settings.Settings
	config   config
	admin    *person // the first active IT admin, by id
	people   map[string]*person
	// adminFile is the admin's record as init wrote it.
	adminFile []byte
}

// configPath is the organisation's policy data.
const configPath = "policies/config/data.yaml"

// readOrg reads the one commit of the repository's branch and what the
// demo builds on: settings, policy data and the IT admin.
func readOrg(repo *git.Repository) (*org, error) {
	head, err := repo.Reference(plumbing.HEAD, false)
	if err != nil {
		return nil, fmt.Errorf("read HEAD: %w", err)
	}
	if head.Type() != plumbing.SymbolicReference || !head.Target().IsBranch() {
		return nil, errors.New("HEAD is not on a branch: run posture init --demo in a new folder")
	}
	ref, err := repo.Reference(head.Target(), true)
	if err != nil {
		return nil, fmt.Errorf("read %s: the demo fills a repository that posture init made: %w", head.Target().Short(), err)
	}
	root, err := repo.CommitObject(ref.Hash())
	if err != nil {
		return nil, fmt.Errorf("read the commit of %s: %w", head.Target().Short(), err)
	}
	if root.NumParents() != 0 {
		return nil, fmt.Errorf("%s has history already; the demo fills only a repository that posture init has just made", head.Target().Short())
	}
	o := &org{branch: head.Target(), root: root, files: map[string]entry{}, known: map[plumbing.Hash]bool{}, people: map[string]*person{}}
	tree, err := root.Tree()
	if err != nil {
		return nil, fmt.Errorf("read the tree of %s: %w", root.Hash, err)
	}
	if err := o.walk(repo, tree, ""); err != nil {
		return nil, err
	}
	for p := range o.files {
		if k, ok, _ := record.Classify(p); ok && (k == record.Device || k == record.Report || k == record.Exception) {
			return nil, fmt.Errorf("%s exists already; the demo fills only a repository without devices, reports or exceptions", p)
		}
	}
	fsys, err := o.readFS(repo)
	if err != nil {
		return nil, err
	}
	if o.settings, _, err = settings.Load(fsys); err != nil {
		return nil, err
	}
	if o.config, err = parseConfig(fsys[configPath]); err != nil {
		return nil, err
	}
	return o, o.readPeople(fsys)
}

// walk lists the files of tree under dir and notes its objects.
func (o *org) walk(repo *git.Repository, tree *object.Tree, dir string) error {
	o.known[tree.Hash] = true
	for _, e := range tree.Entries {
		p := path.Join(dir, e.Name)
		if e.Mode != filemode.Dir {
			o.files[p] = entry{mode: e.Mode, hash: e.Hash}
			o.known[e.Hash] = true
			continue
		}
		sub, err := repo.TreeObject(e.Hash)
		if err != nil {
			return fmt.Errorf("read the tree %s: %w", p, err)
		}
		if err := o.walk(repo, sub, p); err != nil {
			return err
		}
	}
	return nil
}

// readFS returns the files the demo reads: the settings, the policy data
// and people/.
func (o *org) readFS(repo *git.Repository) (fstest.MapFS, error) {
	fsys := fstest.MapFS{}
	for p, e := range o.files {
		if p != settings.File && p != configPath && !strings.HasPrefix(p, record.PeopleDir+"/") {
			continue
		}
		b, err := repo.BlobObject(e.hash)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		r, err := b.Reader()
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		data, err := io.ReadAll(r)
		_ = r.Close()
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		fsys[p] = &fstest.MapFile{Data: data}
	}
	if fsys[configPath] == nil {
		return nil, fmt.Errorf("%s is missing; the demo picks OS versions and the corporate SSID from it", configPath)
	}
	return fsys, nil
}

// readPeople reads people/ and finds the IT admin.
func (o *org) readPeople(fsys fstest.MapFS) error {
	var ids []string
	for p, f := range fsys {
		k, ok, _ := record.Classify(p)
		if !ok || k != record.Person {
			continue
		}
		rec, fs := record.Parse(p, record.Person, f.Data)
		if rec == nil {
			return fmt.Errorf("read %s: %v", p, fs)
		}
		id := record.IDOf(p)
		o.people[id] = &person{ID: id, Name: rec.String("name"), Login: rec.String("github"), Email: rec.String("email"),
			Dept: rec.String("department"), Supervisor: rec.String("supervisor"), Role: rec.String("role"), Active: rec.Data["active"] == true,
			Path: p}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if p := o.people[id]; p.Role == "it-admin" && p.Active && p.Login != "" {
			o.admin = p
			o.adminFile = fsys[p.Path].Data
			return nil
		}
	}
	return errors.New("people/ has no active it-admin with a github login; the demo's exceptions and contractors need one")
}

package gitrepo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// CommitInfo is what a commit records, as plain data that does not point
// at the object store.
type CommitInfo struct {
	Hash      plumbing.Hash
	Parents   []plumbing.Hash
	Author    object.Signature
	Committer object.Signature
	Message   string
	// Signed is set when the commit carries a signature (PGP, SSH or
	// X.509). Whether the signature is good is not checked here.
	Signed bool
}

// Step is one commit of a first-parent walk with the paths it changed
// against its first parent (everything it holds, for a root commit).
type Step struct {
	CommitInfo
	Changes []Change // sorted by path
	// Origins holds, for a merge, the commit on the merged branch that
	// first made each changed path what the merge brought in: the oldest
	// commit on the second parent's first-parent chain whose entry for the
	// path differs from the first parent's. A path whose branch history is
	// not in the repository, or deeper than MaxOriginDepth, has none.
	Origins map[string]CommitInfo
}

// MaxOriginDepth bounds how far back along a merged branch FirstParents
// looks for the commit that introduced a change.
const MaxOriginDepth = 1000

// History is the first-parent chain of a commit, newest first.
type History struct {
	Steps []Step
	// Cut is the last commit walked when its first parent is not in the
	// repository (a shallow clone, or objects lost); zero when the walk
	// reached a root commit. The last step then lists no changes.
	Cut plumbing.Hash
	// Shallow lists the commits the repository itself marks as shallow.
	Shallow []plumbing.Hash
}

// FirstParents walks the first-parent chain from head to its root and
// returns every commit with the paths under prefixes (plain string
// prefixes, as in Changes) that differ from its first parent.
//
// Trees are compared by hash, and only subtrees whose hash changed and that
// can hold a wanted path are read. A tree is decoded once: the trees of a
// commit are kept for the comparison of its parent with the grandparent,
// and entries are compared in their encoded form, so names are copied only
// for the paths that changed.
func (r *Repo) FirstParents(head *object.Commit, prefixes ...string) (*History, error) {
	return r.FirstParentsContext(context.Background(), head, prefixes...)
}

// FirstParentsContext is FirstParents, stopped with ctx's error when ctx is
// done.
func (r *Repo) FirstParentsContext(ctx context.Context, head *object.Commit, prefixes ...string) (*History, error) {
	return r.FirstParentsStore(ctx, head, nil, prefixes...)
}

// StepStore keeps, by commit, what a first-parent walk over one list of
// prefixes found out: the commit itself (its CommitInfo, parents
// included), the paths it changed against its first parent and, for a
// merge, the commit on the merged branch each came from. All are facts
// about objects that never change, so a later walk reads them back instead
// of reading the commit and comparing its trees again. A store serves one
// list of prefixes. Step returns false for a commit it does not hold, or
// cannot give back whole.
type StepStore interface {
	Step(commit plumbing.Hash) (Step, bool)
	KeepStep(step Step)
}

// FirstParentsStore is FirstParentsContext with the steps of commits that
// store holds read from it, and the steps it computes kept in it (a nil
// store keeps nothing). A merge whose merged branch is not wholly in the
// repository (a shallow clone) is not kept: its origins could grow once
// the history is fetched. A stored step's commit is not read again, so a
// walk with a full store reads no commit but the head. Whether an object
// is in the repository is not a fact about a commit, though: a shallow
// clone ends where its history does, and a store may come from a deeper
// clone. So the first parent of a stored step is looked up (in the
// packfile indexes, else read); where it is missing the step is computed
// again from the commit, and the walk ends there as it does without a
// store. In a shallow clone a merge's stored origins are not used either,
// since the walk without a store may not reach them.
func (r *Repo) FirstParentsStore(ctx context.Context, head *object.Commit, store StepStore, prefixes ...string) (*History, error) {
	// The lock is taken for each read rather than for the whole walk, so
	// that other readers of the repository go on between them.
	h := &History{}
	r.mu.Lock()
	sh, err := r.st.Shallow()
	r.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("walk history of %s: read the list of shallow commits: %w", head.Hash, err)
	}
	h.Shallow = sh
	w := &rawWalk{r: r, changeList: changeList{prefixes: prefixes}, cur: map[plumbing.Hash][]byte{}, prev: map[plumbing.Hash][]byte{}, poll: poll{ctx: ctx}}
	// c is the commit of hash, read already (the head, or the parent of the
	// step before), or nil.
	hash, c := head.Hash, head
	for {
		if err := w.poll.now(); err != nil {
			return nil, err
		}
		step, stored := storedStep(store, hash)
		if stored && len(h.Shallow) > 0 && len(step.Origins) > 0 {
			stored = false // see above
		}
		// parent is the first parent's commit once read.
		var parent *object.Commit
		if stored && len(step.Parents) > 0 {
			// A stored step whose first parent is missing is computed
			// again: the commit itself says whether the walk ends there.
			switch parent, err = r.hasCommit(step.Parents[0]); {
			case errors.Is(err, plumbing.ErrObjectNotFound):
				stored = false
			case err != nil:
				return nil, fmt.Errorf("walk history of %s: read commit %s: %w", head.Hash, step.Parents[0], err)
			}
		}
		if !stored && c == nil {
			if c, err = r.readCommit(hash); err != nil {
				return nil, fmt.Errorf("walk history of %s: read commit %s: %w", head.Hash, hash, err)
			}
		}
		parentTree := plumbing.ZeroHash
		if !stored {
			step = Step{CommitInfo: info(c)}
			if len(step.Parents) > 0 {
				parent, err = r.readCommit(step.Parents[0])
				switch {
				case errors.Is(err, plumbing.ErrObjectNotFound):
					h.Cut = hash
					h.Steps = append(h.Steps, step)
					return h, nil
				case err != nil:
					return nil, fmt.Errorf("walk history of %s: read commit %s: %w", head.Hash, step.Parents[0], err)
				}
				parentTree = parent.TreeHash
			}
			r.mu.Lock()
			err := w.step(&step, c, parentTree)
			r.mu.Unlock()
			if err != nil {
				return nil, err
			}
			if store != nil && !w.partial {
				store.KeepStep(step)
			}
		}
		h.Steps = append(h.Steps, step)
		w.prev, w.cur = w.cur, w.prev
		clear(w.cur)
		if len(step.Parents) == 0 {
			return h, nil
		}
		hash, c = step.Parents[0], parent
	}
}

// readCommit reads commit h.
func (r *Repo) readCommit(h plumbing.Hash) (*object.Commit, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return object.GetCommit(r.st, h)
}

// hasCommit returns nil when commit h is in the repository, an error
// matching plumbing.ErrObjectNotFound when it is not: what reading it
// would return, without reading it when a packfile index lists it. The
// commit comes back when it had to be read, nil otherwise.
func (r *Repo) hasCommit(h plumbing.Hash) (*object.Commit, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.inPack(h) {
		return nil, nil
	}
	return object.GetCommit(r.st, h)
}

// step fills step with what commit c changed against its first parent,
// whose tree is parentTree, and for a merge where each change came from.
func (w *rawWalk) step(step *Step, c *object.Commit, parentTree plumbing.Hash) error {
	w.out, w.partial = nil, false
	if err := w.trees("", parentTree, c.TreeHash); err != nil {
		return fmt.Errorf("compare %s with its parent: %w", c.Hash, err)
	}
	slices.SortFunc(w.out, func(a, b Change) int { return strings.Compare(a.Path, b.Path) })
	step.Changes = w.out
	if len(c.ParentHashes) > 1 && len(w.out) > 0 {
		if err := w.origins(step, parentTree); err != nil {
			return fmt.Errorf("find where the changes of merge %s come from: %w", c.Hash, err)
		}
	}
	return nil
}

// storedStep returns the step of commit from store, when it holds the
// commit whole.
func storedStep(store StepStore, commit plumbing.Hash) (Step, bool) {
	if store == nil {
		return Step{}, false
	}
	step, ok := store.Step(commit)
	if !ok || step.Hash != commit || !slices.IsSortedFunc(step.Changes, func(a, b Change) int { return strings.Compare(a.Path, b.Path) }) {
		return Step{}, false
	}
	if len(step.Parents) < 2 || len(step.Changes) == 0 {
		step.Origins = nil // as the walk leaves them
	} else if step.Origins == nil {
		step.Origins = map[string]CommitInfo{}
	}
	return step, true
}

// rawWalk compares encoded trees. cur holds the trees read for the commit
// being compared, prev those of the commit compared before it (its child).
type rawWalk struct {
	r         *Repo
	cur, prev map[plumbing.Hash][]byte
	changeList
	// strict checks every entry of each tree the walk reads, not only the
	// entries that differ: a pull request's diff must not hide a duplicate
	// behind the bytes its trees share.
	strict bool
	dir    string // the folder of the tree being read, for errors
	poll   poll
	// partial is set when origins stopped at a commit missing from the
	// repository: what it found may grow once the history is fetched.
	partial bool
}

// tree returns the encoded entries of tree h; the zero hash is the empty tree.
func (w *rawWalk) tree(h plumbing.Hash) ([]byte, error) {
	if h.IsZero() || h == emptyTree {
		return nil, nil
	}
	if b, ok := w.cur[h]; ok {
		return b, nil
	}
	if b, ok := w.prev[h]; ok {
		w.cur[h] = b
		return b, nil
	}
	b, err := readTree(w.r.st, h)
	if err != nil {
		return nil, err
	}
	if w.strict {
		if err := checkTree(w.dir, b); err != nil {
			return nil, err
		}
	}
	w.cur[h] = b
	return b, nil
}

// checkTree checks every entry of the encoded tree of folder dir: names Git
// accepts, in Git's strict order (so no name stands twice), and no folder
// named as a file beside it, which that order lets through.
func checkTree(dir string, raw []byte) error {
	var prev, e rawEntry
	var tw twins
	for {
		ok, err := e.next(&raw)
		if err != nil {
			return fmt.Errorf("read tree of %q: %w", dir+"/", err)
		}
		if !ok {
			return nil
		}
		if err := checkName(dir, string(e.name)); err != nil {
			return err
		}
		if err := inOrder(dir, &prev, &e, true); err != nil {
			return err
		}
		if tw.twin(&e) {
			return &TreeError{Dir: dir, Name: string(e.name), Reason: "stands twice in its folder, as a file and as a folder"}
		}
	}
}

// trees compares the trees a (the parent's) and b at the folder dir.
func (w *rawWalk) trees(dir string, a, b plumbing.Hash) error {
	if a == b {
		return nil
	}
	w.dir = dir
	ta, err := w.tree(a)
	if err != nil {
		return err
	}
	w.dir = dir
	tb, err := w.tree(b)
	if err != nil {
		return err
	}
	ta, tb = skipCommonPrefix(ta, tb)
	same := commonSuffix(ta, tb)
	var ea, eb, prevA, prevB rawEntry
	okA, errA := ea.next(&ta)
	okB, errB := eb.next(&tb)
	for {
		if err := w.poll.err(); err != nil {
			return err
		}
		if err := errors.Join(errA, errB); err != nil {
			return fmt.Errorf("read tree %s or %s: %w", a, b, err)
		}
		// Git sorts a tree's entries strictly: an entry that is not after
		// the one before it is a duplicate name (or a forged order), which
		// would let one path stand for two files.
		if err := inOrder(dir, &prevA, &ea, okA); err != nil {
			return err
		}
		if err := inOrder(dir, &prevB, &eb, okB); err != nil {
			return err
		}
		if !okA && !okB {
			return nil
		}
		if okA && okB && len(ta) == len(tb) && len(ta) <= same && ea.hash == eb.hash && ea.mode == eb.mode && bytes.Equal(ea.name, eb.name) {
			return nil // the rest of both trees is the same bytes, from an entry's start on
		}
		order := 0
		switch {
		case !okA:
			order = 1
		case !okB:
			order = -1
		default:
			order = compareEntries(&ea, &eb)
		}
		switch {
		case order < 0: // only in a
			if err := w.side(dir, &ea, Deleted); err != nil {
				return err
			}
			okA, errA = ea.next(&ta)
		case order > 0: // only in b
			if err := w.side(dir, &eb, Added); err != nil {
				return err
			}
			okB, errB = eb.next(&tb)
		default:
			if ea.hash != eb.hash || ea.mode != eb.mode {
				if err := w.both(dir, &ea, &eb); err != nil {
					return err
				}
			}
			okA, errA = ea.next(&ta)
			okB, errB = eb.next(&tb)
		}
	}
}

// inOrder checks that e (when ok) sorts after *prev, the entry read before
// it in the same tree, and then makes e the one before the next.
func inOrder(dir string, prev, e *rawEntry, ok bool) error {
	switch {
	case !ok:
		return nil
	case len(prev.name) == 0:
		*prev = *e
		return nil
	case &prev.name[0] == &e.name[0]:
		return nil // the same entry: this side did not advance
	}
	if c := compareEntries(prev, e); c >= 0 {
		reason := "stands out of Git's order in its folder"
		if bytes.Equal(prev.name, e.name) {
			reason = "stands twice in its folder"
		}
		return &TreeError{Dir: dir, Name: string(e.name), Reason: reason}
	}
	*prev = *e
	return nil
}

// both handles an entry present in both trees with a different hash or mode.
func (w *rawWalk) both(dir string, ea, eb *rawEntry) error {
	if err := checkName(dir, string(eb.name)); err != nil {
		return err
	}
	p := join(dir, string(eb.name))
	if ea.mode == filemode.Dir && eb.mode == filemode.Dir {
		if w.wantDir(p) {
			return w.trees(p, ea.hash, eb.hash)
		}
		return nil
	}
	// Entries of the same sort name are both folders or both not.
	w.emit(Change{Path: p, Action: Modified, From: Entry{ea.hash, ea.mode}, To: Entry{eb.hash, eb.mode}})
	return nil
}

// side records e, and everything below it for a folder, as added or deleted.
func (w *rawWalk) side(dir string, e *rawEntry, action Action) error {
	if err := checkName(dir, string(e.name)); err != nil {
		return err
	}
	return w.record(join(dir, string(e.name)), Entry{e.hash, e.mode}, action, w.trees)
}

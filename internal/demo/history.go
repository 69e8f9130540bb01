package demo

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/memory"
	"github.com/posture-dev/posture/internal/evidence"
)

// history writes the plan's commits into memory, as Git objects, in the
// order they happened.
type history struct {
	p     *plan
	build Build
	mem   *memory.Storage
	// order lists the new objects as written; stored also holds the
	// objects of the root commit's tree, which need no copy.
	order  []plumbing.Hash
	stored map[plumbing.Hash]bool
	main   map[string]entry // the branch's files
	tip    plumbing.Hash
	// branches are the files of each open pull request's head.
	branches map[*pull]map[string]entry
	heads    map[*pull]plumbing.Hash
}

// encoder is a Git object that encodes itself.
type encoder interface {
	Encode(plumbing.EncodedObject) error
}

// GitHub's signature on the merge commits it makes.
var github = object.Signature{Name: "GitHub", Email: "noreply@github.com"}

// write makes every commit of the plan and returns the new tip.
func (h *history) write() (plumbing.Hash, error) {
	root := *h.p.o.root
	root.Author.When, root.Committer.When = h.p.setupAt, h.p.setupAt
	root.PGPSignature = ""
	var err error
	if h.tip, err = h.store(&root); err != nil {
		return plumbing.ZeroHash, err
	}
	type event struct {
		at     time.Time
		pull   *pull
		commit int // the commit of pull, or -1 for its merge
		push   *push
	}
	var evs []event
	for _, pr := range h.p.pulls {
		for i, c := range pr.commits {
			evs = append(evs, event{at: c.at, pull: pr, commit: i})
		}
		evs = append(evs, event{at: pr.merged, pull: pr, commit: -1})
	}
	for _, ps := range h.p.pushes {
		evs = append(evs, event{at: ps.at, push: ps})
	}
	slices.SortStableFunc(evs, func(a, b event) int { return a.at.Compare(b.at) })
	for _, ev := range evs {
		var err error
		switch {
		case ev.push != nil:
			err = h.direct(ev.push)
		case ev.commit >= 0:
			err = h.branchCommit(ev.pull, ev.commit)
		default:
			err = h.merge(ev.pull)
		}
		if err != nil {
			return plumbing.ZeroHash, err
		}
	}
	return h.tip, nil
}

// direct commits a push onto the branch.
func (h *history) direct(ps *push) error {
	if err := h.apply(h.main, ps.files); err != nil {
		return err
	}
	c, err := h.commit(h.main, ps.message, ps.author.who(), ps.author.who(), ps.at, h.tip)
	h.tip = c
	return err
}

// branchCommit commits the i-th commit of pr on its branch, which starts
// from the branch's tip of the moment.
func (h *history) branchCommit(pr *pull, i int) error {
	files, parent := h.branches[pr], h.heads[pr]
	if i == 0 {
		files, parent = maps.Clone(h.main), h.tip
		h.branches[pr] = files
	}
	c := pr.commits[i]
	if err := h.apply(files, c.files); err != nil {
		return err
	}
	head, err := h.commit(files, c.message, pr.author.who(), pr.author.who(), c.at, parent)
	h.heads[pr] = head
	return err
}

// merge merges pr into the branch: by posture merge, with the evidence
// trailers, or on GitHub.
func (h *history) merge(pr *pull) error {
	head := h.heads[pr]
	for _, c := range pr.commits {
		if err := h.apply(h.main, c.files); err != nil {
			return err
		}
	}
	delete(h.branches, pr)
	org := slug(h.p.o.settings.Organization, "-")
	if org == "" {
		org = "example"
	}
	msg := fmt.Sprintf("Merge pull request #%d from %s/%s\n\n%s\n", pr.number, org, pr.branch, pr.title)
	author := pr.author.who()
	if pr.posture {
		var err error
		if msg, err = h.evidence(pr, head); err != nil {
			return err
		}
		author = h.bot()
	}
	c, err := h.commit(h.main, msg, author, github, pr.merged.UTC(), h.tip, head)
	h.tip = c
	return err
}

// evidence is the message posture merge gives the merge of pr, whose
// approved head is head and whose base is the branch's tip.
func (h *history) evidence(pr *pull, head plumbing.Hash) (string, error) {
	var reports []string
	for _, c := range pr.commits {
		for p := range c.files {
			if !slices.Contains(reports, p) {
				reports = append(reports, p)
			}
		}
	}
	slices.Sort(reports)
	ev := evidence.Evidence{PullRequest: pr.number, Reports: reports, Subject: pr.subject.evidence(), Author: pr.author.Login,
		Approvals: []evidence.Approval{
			{Role: evidence.RoleSupervisor, Approver: pr.supervisor.evidence(), ReviewID: pr.supReview, At: pr.supAt, Commit: head.String()},
			{Role: evidence.RoleContractor, Approver: pr.contractor.evidence(), ReviewID: pr.conReview, At: pr.conAt, Commit: head.String()},
		},
		Version: h.build.Version, Revision: h.build.Revision, Modified: h.build.Modified, PolicyBase: h.tip.String()}
	return evidence.FullMessage(ev.MergeCommit(pr.title, head.String())), nil
}

// bot is the posture GitHub App, which merges with posture merge.
func (h *history) bot() object.Signature {
	login := h.p.o.settings.BotLogin
	if !strings.HasSuffix(login, "[bot]") {
		login = slug(h.p.o.settings.Organization, "-") + "-posture[bot]"
	}
	return object.Signature{Name: login, Email: login + "@users.noreply.github.com"}
}

// apply writes files into state.
func (h *history) apply(state map[string]entry, files map[string][]byte) error {
	for _, p := range slices.Sorted(maps.Keys(files)) {
		b, err := h.blob(files[p])
		if err != nil {
			return err
		}
		state[p] = entry{mode: filemode.Regular, hash: b}
	}
	return nil
}

// commit stores a commit of files.
func (h *history) commit(files map[string]entry, msg string, author, committer object.Signature, at time.Time, parents ...plumbing.Hash) (plumbing.Hash, error) {
	tree, err := h.tree(files)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	author.When, committer.When = at, at
	return h.store(&object.Commit{Author: author, Committer: committer, Message: msg, TreeHash: tree, ParentHashes: parents})
}

// tree stores the trees of files and returns the root's hash.
func (h *history) tree(files map[string]entry) (plumbing.Hash, error) {
	return h.subtree(files, slices.Sorted(maps.Keys(files)), "")
}

// subtree stores the tree of paths (sorted, all under prefix).
func (h *history) subtree(files map[string]entry, paths []string, prefix string) (plumbing.Hash, error) {
	var entries []object.TreeEntry
	for i := 0; i < len(paths); {
		name, _, isDir := strings.Cut(paths[i][len(prefix):], "/")
		if !isDir {
			e := files[paths[i]]
			entries = append(entries, object.TreeEntry{Name: name, Mode: e.mode, Hash: e.hash})
			i++
			continue
		}
		j := i
		for j < len(paths) && strings.HasPrefix(paths[j][len(prefix):], name+"/") {
			j++
		}
		sub, err := h.subtree(files, paths[i:j], prefix+name+"/")
		if err != nil {
			return plumbing.ZeroHash, err
		}
		entries = append(entries, object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: sub})
		i = j
	}
	slices.SortFunc(entries, func(a, b object.TreeEntry) int {
		return strings.Compare(sortName(a), sortName(b))
	})
	return h.store(&object.Tree{Entries: entries})
}

// sortName is how Git orders tree entries: folders as if named with a
// trailing slash.
func sortName(e object.TreeEntry) string {
	if e.Mode == filemode.Dir {
		return e.Name + "/"
	}
	return e.Name
}

// blob stores data.
func (h *history) blob(data []byte) (plumbing.Hash, error) {
	o := h.mem.NewEncodedObject()
	o.SetType(plumbing.BlobObject)
	o.SetSize(int64(len(data)))
	w, err := o.Writer()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if _, err := w.Write(data); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := w.Close(); err != nil {
		return plumbing.ZeroHash, err
	}
	return h.keep(o)
}

// store encodes and stores an object.
func (h *history) store(v encoder) (plumbing.Hash, error) {
	o := h.mem.NewEncodedObject()
	if err := v.Encode(o); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("encode a Git object: %w", err)
	}
	return h.keep(o)
}

// keep stores o unless the repository or memory has it already.
func (h *history) keep(o plumbing.EncodedObject) (plumbing.Hash, error) {
	hash := o.Hash()
	if h.stored[hash] {
		return hash, nil
	}
	if _, err := h.mem.SetEncodedObject(o); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("store a Git object: %w", err)
	}
	h.stored[hash] = true
	h.order = append(h.order, hash)
	return hash, nil
}

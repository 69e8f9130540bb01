package check

import (
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/posture-dev/posture/internal/cache"
	"github.com/posture-dev/posture/internal/gitrepo"
)

// Steps returns the cache as the store of a first-parent walk over
// prefixes (gitrepo.StepStore): what each commit changed, and where a
// merge's changes came from, kept by commit, so that a second audit of a
// history compares no tree it compared before. A nil Cache gives a nil
// store.
func (c *Cache) Steps(prefixes ...string) gitrepo.StepStore {
	if c == nil {
		return nil
	}
	return &stepStore{c: c, prefixes: strings.Join(prefixes, "\x00")}
}

type stepStore struct {
	c        *Cache
	prefixes string
}

func (s *stepStore) key(commit plumbing.Hash) cache.Key {
	return cache.NewKeyer("step").Add(s.c.Version, s.prefixes, commit.String()).Key()
}

// A step is kept as fields each ended by a NUL byte, which no path, hash
// or signature holds: a tag, the commit, the number of changes, five fields
// per change (action, mode and hash before and after, path), the number of
// origins, and per origin its path and its commit. A commit (the step's
// own, and each origin's) is its hash, the number of its parents and their
// hashes, author and committer as Git writes them ("Name <email>
// 1767225600 +0100", read back by go-git's own decoder), whether it is
// signed, and its message. A step whose messages hold a NUL byte is not
// kept.
const stepTag = "step3"

func (s *stepStore) KeepStep(step gitrepo.Step) {
	var b strings.Builder
	ok := true
	field := func(v string) {
		ok = ok && strings.IndexByte(v, 0) < 0
		b.WriteString(v)
		b.WriteByte(0)
	}
	commit := func(c gitrepo.CommitInfo) {
		field(c.Hash.String())
		field(strconv.Itoa(len(c.Parents)))
		for _, p := range c.Parents {
			field(p.String())
		}
		for _, sig := range []object.Signature{c.Author, c.Committer} {
			var line strings.Builder
			if sig.Encode(&line) != nil {
				ok = false
			}
			field(line.String())
		}
		field(strconv.FormatBool(c.Signed))
		field(c.Message)
	}
	field(stepTag)
	commit(step.CommitInfo)
	field(strconv.Itoa(len(step.Changes)))
	for _, ch := range step.Changes {
		field(strconv.Itoa(int(ch.Action)))
		field(strconv.FormatUint(uint64(ch.From.Mode), 8))
		field(ch.From.Hash.String())
		field(strconv.FormatUint(uint64(ch.To.Mode), 8))
		field(ch.To.Hash.String())
		field(ch.Path)
	}
	field(strconv.Itoa(len(step.Origins)))
	for path, o := range step.Origins {
		field(path)
		commit(o)
	}
	if ok {
		s.c.store.Put(s.key(step.Hash), []byte(b.String()))
	}
}

func (s *stepStore) Step(commit plumbing.Hash) (gitrepo.Step, bool) {
	data, ok := s.c.store.Get(s.key(commit))
	if !ok {
		return gitrepo.Step{}, false
	}
	f := strings.Split(string(data), "\x00")
	// The last field is the empty string after the final NUL.
	if len(f) < 2 || f[0] != stepTag || f[len(f)-1] != "" {
		return gitrepo.Step{}, false
	}
	r := stepReader{f: f[1 : len(f)-1], ok: true}
	step := gitrepo.Step{CommitInfo: r.commit()}
	if n := r.count(); r.ok {
		step.Changes = make([]gitrepo.Change, 0, min(n, len(r.f)/6))
		for range n {
			step.Changes = append(step.Changes, r.change())
		}
	}
	if n := r.count(); r.ok && n > 0 {
		step.Origins = make(map[string]gitrepo.CommitInfo, n)
		for range n {
			path := r.field()
			if o := r.commit(); r.ok {
				step.Origins[path] = o
			}
		}
	}
	if !r.ok || len(r.f) != 0 || step.Hash != commit {
		return gitrepo.Step{}, false
	}
	return step, true
}

// stepReader reads the fields of a kept step in order; ok turns false at
// the first that is missing or malformed, and stays false.
type stepReader struct {
	f  []string
	ok bool
}

func (r *stepReader) field() string {
	if len(r.f) == 0 {
		r.ok = false
		return ""
	}
	v := r.f[0]
	r.f = r.f[1:]
	return v
}

// count reads a number of items to come; each needs at least one field.
func (r *stepReader) count() int {
	n, err := strconv.Atoi(r.field())
	if err != nil || n < 0 || n > len(r.f) {
		r.ok = false
		return 0
	}
	return n
}

func (r *stepReader) hash() plumbing.Hash {
	h, ok := stepHash(r.field())
	r.ok = r.ok && ok && !h.IsZero()
	return h
}

func (r *stepReader) change() gitrepo.Change {
	a, err := strconv.Atoi(r.field())
	from, ok1 := stepEntry(r.field(), r.field())
	to, ok2 := stepEntry(r.field(), r.field())
	path := r.field()
	r.ok = r.ok && err == nil && a >= int(gitrepo.Added) && a <= int(gitrepo.Deleted) && ok1 && ok2 && path != ""
	return gitrepo.Change{Path: path, Action: gitrepo.Action(a), From: from, To: to}
}

func (r *stepReader) commit() gitrepo.CommitInfo {
	c := gitrepo.CommitInfo{Hash: r.hash()}
	if n := r.count(); n > 0 { // a root commit's parents are nil, as go-git reads them
		c.Parents = make([]plumbing.Hash, n)
		for i := range c.Parents {
			c.Parents[i] = r.hash()
		}
	}
	c.Author.Decode([]byte(r.field()))
	c.Committer.Decode([]byte(r.field()))
	signed, err := strconv.ParseBool(r.field())
	c.Signed, c.Message = signed, r.field()
	r.ok = r.ok && err == nil && !c.Author.When.IsZero() && !c.Committer.When.IsZero()
	return c
}

// stepEntry parses a kept mode (octal) and hash.
func stepEntry(mode, hash string) (gitrepo.Entry, bool) {
	m, err := strconv.ParseUint(mode, 8, 32)
	h, ok := stepHash(hash)
	return gitrepo.Entry{Hash: h, Mode: filemode.FileMode(m)}, err == nil && ok
}

// stepHash parses a hash in hex, all 40 digits of it.
func stepHash(s string) (plumbing.Hash, bool) {
	if !plumbing.IsHash(s) {
		return plumbing.ZeroHash, false
	}
	return plumbing.NewHash(s), true
}

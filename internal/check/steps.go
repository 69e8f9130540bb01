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
// origins, and per origin its path and its commit: hash, the number of
// parents and their hashes, author and committer as Git writes them
// ("Name <email> 1767225600 +0100", read back by go-git's own decoder),
// whether it is signed, and its message. A step whose messages hold a NUL
// byte is not kept.
const stepTag = "step2"

func (s *stepStore) KeepStep(commit plumbing.Hash, changes []gitrepo.Change, origins map[string]gitrepo.CommitInfo) {
	var b strings.Builder
	ok := true
	field := func(v string) {
		ok = ok && strings.IndexByte(v, 0) < 0
		b.WriteString(v)
		b.WriteByte(0)
	}
	field(stepTag)
	field(commit.String())
	field(strconv.Itoa(len(changes)))
	for _, ch := range changes {
		field(strconv.Itoa(int(ch.Action)))
		field(strconv.FormatUint(uint64(ch.From.Mode), 8))
		field(ch.From.Hash.String())
		field(strconv.FormatUint(uint64(ch.To.Mode), 8))
		field(ch.To.Hash.String())
		field(ch.Path)
	}
	field(strconv.Itoa(len(origins)))
	for path, o := range origins {
		field(path)
		field(o.Hash.String())
		field(strconv.Itoa(len(o.Parents)))
		for _, p := range o.Parents {
			field(p.String())
		}
		for _, sig := range []object.Signature{o.Author, o.Committer} {
			var line strings.Builder
			if sig.Encode(&line) != nil {
				return
			}
			field(line.String())
		}
		field(strconv.FormatBool(o.Signed))
		field(o.Message)
	}
	if ok {
		s.c.store.Put(s.key(commit), []byte(b.String()))
	}
}

func (s *stepStore) Step(commit plumbing.Hash) ([]gitrepo.Change, map[string]gitrepo.CommitInfo, bool) {
	data, ok := s.c.store.Get(s.key(commit))
	if !ok {
		return nil, nil, false
	}
	f := strings.Split(string(data), "\x00")
	// The last field is the empty string after the final NUL.
	if len(f) < 5 || f[0] != stepTag || f[1] != commit.String() || f[len(f)-1] != "" {
		return nil, nil, false
	}
	f = f[2 : len(f)-1]
	count := func() (int, bool) {
		if len(f) == 0 {
			return 0, false
		}
		n, err := strconv.Atoi(f[0])
		f = f[1:]
		return n, err == nil && n >= 0
	}
	n, ok := count()
	if !ok || len(f) < 6*n {
		return nil, nil, false
	}
	changes := make([]gitrepo.Change, n)
	for i := range changes {
		a, err := strconv.Atoi(f[0])
		from, ok1 := stepEntry(f[1], f[2])
		to, ok2 := stepEntry(f[3], f[4])
		if err != nil || a < int(gitrepo.Added) || a > int(gitrepo.Deleted) || !ok1 || !ok2 || f[5] == "" {
			return nil, nil, false
		}
		changes[i] = gitrepo.Change{Path: f[5], Action: gitrepo.Action(a), From: from, To: to}
		f = f[6:]
	}
	n, ok = count()
	if !ok {
		return nil, nil, false
	}
	var origins map[string]gitrepo.CommitInfo
	if n > 0 {
		origins = make(map[string]gitrepo.CommitInfo, n)
	}
	for range n {
		if len(f) < 3 {
			return nil, nil, false
		}
		path := f[0]
		h, ok := stepHash(f[1])
		f = f[2:]
		parents, ok2 := count()
		if !ok || !ok2 || h.IsZero() || len(f) < parents+4 {
			return nil, nil, false
		}
		o := gitrepo.CommitInfo{Hash: h}
		if parents > 0 { // a root commit's parents are nil, as go-git reads them
			o.Parents = make([]plumbing.Hash, parents)
		}
		for i := range o.Parents {
			if o.Parents[i], ok = stepHash(f[i]); !ok {
				return nil, nil, false
			}
		}
		f = f[parents:]
		o.Author.Decode([]byte(f[0]))
		o.Committer.Decode([]byte(f[1]))
		signed, err := strconv.ParseBool(f[2])
		if err != nil || o.Author.When.IsZero() || o.Committer.When.IsZero() {
			return nil, nil, false
		}
		o.Signed, o.Message = signed, f[3]
		f = f[4:]
		origins[path] = o
	}
	if len(f) != 0 {
		return nil, nil, false
	}
	return changes, origins, true
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

package check

import (
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
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

// A step is kept as fields each ended by a NUL byte, which no path and no
// hash holds: a tag, the commit, the number of changes, five fields per
// change (action, mode and hash before and after, path), the number of
// origins, and two per origin (path, commit).
const stepTag = "step1"

func (s *stepStore) KeepStep(commit plumbing.Hash, changes []gitrepo.Change, origins map[string]plumbing.Hash) {
	var b strings.Builder
	field := func(v string) { b.WriteString(v); b.WriteByte(0) }
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
	for path, h := range origins {
		field(path)
		field(h.String())
	}
	s.c.store.Put(s.key(commit), []byte(b.String()))
}

func (s *stepStore) Step(commit plumbing.Hash) ([]gitrepo.Change, map[string]plumbing.Hash, bool) {
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
	if !ok || len(f) != 2*n {
		return nil, nil, false
	}
	var origins map[string]plumbing.Hash
	if n > 0 {
		origins = make(map[string]plumbing.Hash, n)
	}
	for i := 0; i < len(f); i += 2 {
		h, ok := stepHash(f[i+1])
		if !ok || h.IsZero() {
			return nil, nil, false
		}
		origins[f[i]] = h
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

// Package cache is posture's result cache on disk: values under keys
// (SHA-256 digests of everything that decides them), kept in a folder that
// several runs may use at once.
//
// A folder holds segments, each written by one run to a temporary file
// renamed into place when it is complete, so that no reader sees half of
// one, and never changed after. A run reads every segment when it opens
// the store, and what it adds becomes one new segment when it closes it. Every entry
// carries a checksum of its key and value: a truncated segment, a flipped
// byte or a file that is not a segment costs the entries it spoils, never
// an error and never a wrong value. What a value means, and whether it
// still applies, is its reader's to check. The folder is bounded: when its
// segments exceed the store's size, the oldest go, once the run that removes
// them has copied into its own segment the values it found there, so that
// what runs keep using stays. The newest segment always stays.
package cache

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Key names a value: the SHA-256 digest of everything that decides it.
type Key [sha256.Size]byte

// String returns the key in hex.
func (k Key) String() string { return hex.EncodeToString(k[:]) }

// Keyer builds a key from parts, each written with its length so that no
// two lists of parts make the same key.
type Keyer struct{ h []byte }

// NewKeyer starts a key of the given kind.
func NewKeyer(kind string) *Keyer { return (&Keyer{}).Add(kind) }

// Add appends parts to the key.
func (k *Keyer) Add(parts ...string) *Keyer {
	for _, p := range parts {
		k.h = strconv.AppendInt(k.h, int64(len(p)), 10)
		k.h = append(k.h, ':')
		k.h = append(k.h, p...)
	}
	return k
}

// Key returns the key of the parts added.
func (k *Keyer) Key() Key { return sha256.Sum256(k.h) }

// DefaultMaxBytes is the size a store's folder is kept under unless told
// otherwise: a check of 100,000 employees adds some 75 MiB.
const DefaultMaxBytes = 256 << 20

// magic opens every segment; a file that does not start with it is not
// read.
const magic = "posture-cache 1\n"

// segmentExt is the ending of segment files; temporary files end otherwise.
const segmentExt = ".seg"

// Store is an open cache folder. Its methods are safe for concurrent use.
type Store struct {
	dir string
	max int64

	mu     sync.Mutex
	values map[Key][]byte
	// from is the segment each value was read from, used the keys Get
	// found, written the keys Put wrote: Close carries the values in use
	// out of the segments it is about to remove.
	from          map[Key]string
	used, written map[Key]bool

	// w writes the values put since Open to a temporary segment that
	// Close renames into place: a run holds none of them in memory.
	w   *bufio.Writer
	tmp *os.File
	err error
}

// Open reads the cache folder dir, creating it if need be, to be kept
// under maxBytes (DefaultMaxBytes when 0). A segment that cannot be read is
// passed over; only a folder that cannot be made or listed is an error.
func Open(dir string, maxBytes int64) (*Store, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("open the cache: %w", err)
	}
	s := &Store{dir: dir, max: maxBytes, values: map[Key][]byte{}, from: map[Key]string{}, used: map[Key]bool{}, written: map[Key]bool{}}
	segs, err := s.segments()
	if err != nil {
		return nil, err
	}
	for _, seg := range segs {
		data, err := os.ReadFile(filepath.Join(dir, seg.name))
		if err != nil {
			continue // gone since it was listed, or unreadable: a miss
		}
		values := map[Key][]byte{}
		parse(data, values)
		for k, v := range values {
			s.values[k], s.from[k] = v, seg.name
		}
	}
	return s, nil
}

type segment struct {
	name string
	size int64
	mod  time.Time
}

// segments lists the folder's segments, oldest first.
func (s *Store) segments() ([]segment, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, fmt.Errorf("read the cache: %w", err)
	}
	var out []segment
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), segmentExt) {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, segment{name: e.Name(), size: info.Size(), mod: info.ModTime()})
	}
	slices.SortFunc(out, func(a, b segment) int {
		if c := a.mod.Compare(b.mod); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	})
	return out, nil
}

// parse adds the entries of a segment to values and returns how many it
// skipped. An entry is a line "<key> <length> <checksum>" and its value;
// reading stops at the first entry that does not parse, since nothing after
// it can be trusted to start where it seems to.
func parse(data []byte, values map[Key][]byte) (skipped int) {
	rest, ok := bytes.CutPrefix(data, []byte(magic))
	if !ok {
		return 0
	}
	for len(rest) > 0 {
		line, after, ok := bytes.Cut(rest, []byte("\n"))
		if !ok {
			return skipped + 1
		}
		fields := strings.Fields(string(line))
		if len(fields) != 3 {
			return skipped + 1
		}
		kb, err1 := hex.DecodeString(fields[0])
		n, err2 := strconv.Atoi(fields[1])
		if err1 != nil || err2 != nil || len(kb) != len(Key{}) || n < 0 || n >= len(after) || after[n] != '\n' {
			return skipped + 1
		}
		var k Key
		copy(k[:], kb)
		value := after[:n:n]
		if fields[2] != checksum(k, value) {
			skipped++ // this entry is spoilt; the next starts where it says
		} else {
			values[k] = value
		}
		rest = after[n+1:]
	}
	return skipped
}

// checksum guards an entry against corruption (not against forgery: the
// folder is the user's own).
func checksum(k Key, value []byte) string {
	h := sha256.New()
	h.Write(k[:])
	h.Write(value)
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// Get returns the value under k, as the folder held it at Open.
func (s *Store) Get(k Key) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.values[k]
	if ok {
		s.used[k] = true
	}
	return v, ok
}

// Each calls fn with every value read at Open, in no order.
func (s *Store) Each(fn func(Key, []byte)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range s.values {
		fn(k, v)
	}
}

// Forget drops what the store read at Open, for a run that will not ask
// for it again; Get then finds nothing, and Close carries none of it into
// its segment.
func (s *Store) Forget() {
	s.mu.Lock()
	s.values, s.from = map[Key][]byte{}, map[Key]string{}
	s.mu.Unlock()
}

// Put writes value under k, to be found by the runs that open the folder
// once this store is closed.
func (s *Store) Put(k Key, value []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.values[k]; ok && bytes.Equal(old, value) || s.err != nil {
		return
	}
	s.write(k, value)
}

// write adds the entry to the segment of this run. The caller holds s.mu.
func (s *Store) write(k Key, value []byte) {
	if s.err != nil {
		return
	}
	if s.w == nil {
		var id [8]byte
		rand.Read(id[:])
		s.tmp, s.err = os.CreateTemp(s.dir, fmt.Sprintf("%d-%x-*.tmp", time.Now().UnixNano(), id))
		if s.err != nil {
			return
		}
		s.w = bufio.NewWriter(s.tmp)
		s.w.WriteString(magic)
	}
	fmt.Fprintf(s.w, "%s %d %s\n", k, len(value), checksum(k, value))
	s.w.Write(value)
	s.w.WriteByte('\n')
	s.written[k] = true
}

// Close renames the segment of the values put since Open into place and
// keeps the folder about under its size, oldest segments first. The values
// this run found in a segment that goes are written into its own segment
// first, so that what every run uses stays however many runs add to the
// folder; the segment just written never goes. A store that could not be
// written is an error, and leaves the folder as it was.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.w == nil && s.err == nil {
		return nil
	}
	var going []segment
	if s.err == nil {
		going = s.carry()
	}
	err := s.err
	if s.tmp != nil {
		defer os.Remove(s.tmp.Name()) // gone after the rename; else what is left
		if err == nil {
			err = s.w.Flush()
		}
		if cerr := s.tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(s.tmp.Name(), strings.TrimSuffix(s.tmp.Name(), ".tmp")+segmentExt)
		}
	}
	s.w, s.tmp, s.err = nil, nil, nil
	if err != nil {
		return fmt.Errorf("write the cache: %w", err)
	}
	return s.evict(going)
}

// carry decides which segments go to keep the folder under its size once
// this run's segment joins it, and writes into that segment the values
// this run used from them and has not written already. The caller holds
// s.mu, with the segment open.
func (s *Store) carry() []segment {
	if err := s.w.Flush(); err != nil {
		s.err = err
		return nil
	}
	info, err := s.tmp.Stat()
	if err != nil {
		s.err = err
		return nil
	}
	segs, err := s.segments()
	if err != nil {
		return nil
	}
	total := info.Size()
	for _, seg := range segs {
		total += seg.size
	}
	var going []segment
	gone := map[string]bool{}
	for _, seg := range segs {
		if total <= s.max {
			break
		}
		going = append(going, seg)
		gone[seg.name] = true
		total -= seg.size
	}
	keys := make([]Key, 0, len(s.used))
	for k := range s.used {
		if gone[s.from[k]] && !s.written[k] {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b Key) int { return bytes.Compare(a[:], b[:]) })
	for _, k := range keys {
		if v, ok := s.values[k]; ok {
			s.write(k, v)
		}
	}
	return going
}

// staleTemp is the age past which a temporary file is taken for the
// remains of a run that was killed while writing: a day, far longer than
// any run, whose file is not touched again until it closes once it has
// written its first 4 KiB.
const staleTemp = 24 * time.Hour

// evict removes the segments going, and the temporary files of runs
// killed while writing.
func (s *Store) evict(going []segment) error {
	if entries, err := os.ReadDir(s.dir); err == nil {
		for _, e := range entries {
			if info, err := e.Info(); err == nil && strings.HasSuffix(e.Name(), ".tmp") && time.Since(info.ModTime()) > staleTemp {
				os.Remove(filepath.Join(s.dir, e.Name()))
			}
		}
	}
	for _, seg := range going {
		err := os.Remove(filepath.Join(s.dir, seg.name))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("trim the cache: %w", err)
		}
	}
	return nil
}

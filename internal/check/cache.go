package check

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/posture-dev/posture/internal/cache"
	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/record"
)

// Cache holds what checks found about records, so that a record judged once
// is not judged again while nothing that decides its findings changes. An
// entry is keyed by all of that:
//
//   - posture's version (Version, which names the build),
//   - the bytes of the rules: posture.yaml, schemas/ and policies/ (its
//     data files and local rules included, its exceptions not),
//   - the bytes of the whole registry, people/ and devices/: the policies
//     read lookups derived from all of it (MAC addresses, logins,
//     supervisor chains), so any change to it is a change for every record,
//   - the record's path, kind and bytes, and its reference date.
//
// The evidence files a report cites are checked against the digests its
// entry noted. What an entry holds is what the pipeline found before the
// exceptions in force were applied: they are applied on every run, and so
// are the checks across records (duplicates, unused exceptions). An entry
// that is missing, stale or spoilt is a miss, and costs only the time of
// judging the record again.
type Cache struct {
	store *cache.Store
	// Version names the posture build whose results the cache holds.
	Version string
	// Hits and Misses count the records found in the cache and not.
	Hits, Misses atomic.Int64
}

// OpenCache opens the cache folder dir for results of the posture build
// named version, kept under maxBytes (cache.DefaultMaxBytes when 0).
func OpenCache(dir, version string, maxBytes int64) (*Cache, error) {
	if version == "" {
		return nil, errors.New("open the cache: no posture version to key it by")
	}
	s, err := cache.Open(dir, maxBytes)
	if err != nil {
		return nil, err
	}
	return &Cache{store: s, Version: version}, nil
}

// Close writes what the checks added to the cache.
func (c *Cache) Close() error {
	if c == nil {
		return nil
	}
	return c.store.Close()
}

// entry is what the cache holds of one record.
type entry struct {
	Path string `json:"p"`
	// Sum is the SHA-256 of the record's bytes, as the key has it: an entry
	// whose path or sum is not the record's is not its entry.
	Sum      string            `json:"s"`
	Findings []finding.Finding `json:"f,omitempty"`
	// Judged is set for a record that could be parsed.
	Judged bool          `json:"j,omitempty"`
	Device string        `json:"d,omitempty"`
	Report *cachedReport `json:"r,omitempty"`
	// Evidence lists the evidence files the report cites, with what their
	// digests were: the entry applies only while they are the same.
	Evidence []evidenceDep `json:"e,omitempty"`
}

type cachedReport struct {
	Device string `json:"d,omitempty"`
	Period string `json:"m,omitempty"`
	Line   int    `json:"l"`
	Col    int    `json:"c"`
}

type evidenceDep struct {
	Path string `json:"p"`
	digest
}

func (d evidenceDep) MarshalJSON() ([]byte, error) {
	return json.Marshal([3]string{d.Path, d.sum, d.problem})
}

func (d *evidenceDep) UnmarshalJSON(b []byte) error {
	var v [3]string
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	d.Path, d.sum, d.problem = v[0], v[1], v[2]
	return nil
}

// sumOf is the SHA-256 of a record's bytes, in hex.
func sumOf(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// digests of what decides a record's findings besides the record itself.
type treeSums struct {
	rules, registry string
}

// rulesSum digests the rules of fsys: posture.yaml, schemas/ and policies/
// without policies/exceptions/, each file by its path and bytes (where the
// built-in defaults stand in for what the tree lacks, posture's version
// names them).
func rulesSum(fsys fs.FS) (string, error) {
	k := cache.NewKeyer("rules")
	for _, root := range []string{"posture.yaml", "schemas", record.PolicyDir} {
		err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) && p == root {
				return nil
			}
			if err != nil {
				return err
			}
			if d.IsDir() {
				if p == record.ExceptionsDir {
					return fs.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() {
				k.Add("irregular", p)
				return nil
			}
			data, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			k.Add(p, sumOf(data))
			return nil
		})
		if err != nil {
			return "", fmt.Errorf("read the rules for the cache: %w", err)
		}
	}
	return k.Key().String(), nil
}

// registrySum digests the people and devices of a tree, by path and the
// SHA-256 of each file's bytes ("" for one that could not be read), in
// path order.
func registrySum(paths, sums []string) string {
	idx := make([]int, 0, len(paths))
	for i, p := range paths {
		if k, ok, _ := record.Classify(p); ok && (k == record.Person || k == record.Device) {
			idx = append(idx, i)
		}
	}
	slices.SortFunc(idx, func(a, b int) int { return strings.Compare(paths[a], paths[b]) })
	k := cache.NewKeyer("registry")
	for _, i := range idx {
		k.Add(paths[i], sums[i])
	}
	return k.Key().String()
}

// key is the cache key of the record at f with the given bytes' sum,
// judged on refDate by the rules and registry of sums.
func (c *Cache) key(sums treeSums, f file, sum, refDate string) cache.Key {
	return cache.NewKeyer("record").Add(c.Version, sums.rules, sums.registry, string(f.kind), f.path, f.problem, sum, refDate).Key()
}

// get returns the entry of the record at f, if the cache has one that
// applies: its own, and with the evidence files it noted unchanged in the
// tree of d.
func (c *Cache) get(k cache.Key, f file, sum string, d *digests) (*entry, bool) {
	e, ok := c.lookup(k, f, sum, d)
	if ok {
		c.Hits.Add(1)
	} else {
		c.Misses.Add(1)
	}
	return e, ok
}

func (c *Cache) lookup(k cache.Key, f file, sum string, d *digests) (*entry, bool) {
	data, ok := c.store.Get(k)
	if !ok {
		return nil, false
	}
	e, err := decodeEntry(data)
	if err != nil || e.Path != f.path || e.Sum != sum {
		return nil, false
	}
	for _, dep := range e.Evidence {
		if !fs.ValidPath(dep.Path) || d.of(dep.Path) != dep.digest {
			return nil, false
		}
	}
	return e, true
}

// put keeps what the pipeline found about the record at f.
func (c *Cache) put(k cache.Key, f file, sum string, o outcome) {
	e := entry{Path: f.path, Sum: sum, Findings: o.fs, Judged: o.judged, Device: o.device, Evidence: o.evidence}
	if o.report != nil {
		e.Report = &cachedReport{Device: o.report.device, Period: o.report.period, Line: o.report.line, Col: o.report.col}
	}
	data, err := e.encode()
	if err != nil {
		return // not cached: judged again next time
	}
	c.store.Put(k, data)
}

// entryFormat opens every encoded entry.
const entryFormat = "e1"

// encode writes the entry as fields, each with its length: the path, the
// sum, judged, the device, the report's device, period, line and column
// ("" without a report), and the evidence and findings as JSON ("" for
// none). Most entries have neither, and are read without JSON.
func (e *entry) encode() ([]byte, error) {
	var ev, fs []byte
	var err error
	if len(e.Evidence) > 0 {
		if ev, err = json.Marshal(e.Evidence); err != nil {
			return nil, err
		}
	}
	if len(e.Findings) > 0 {
		if fs, err = json.Marshal(e.Findings); err != nil {
			return nil, err
		}
	}
	judged, hasReport := "0", "0"
	if e.Judged {
		judged = "1"
	}
	var r cachedReport
	if e.Report != nil {
		hasReport, r = "1", *e.Report
	}
	var b []byte
	for _, f := range []string{entryFormat, e.Path, e.Sum, judged, e.Device, hasReport, r.Device, r.Period,
		strconv.Itoa(r.Line), strconv.Itoa(r.Col), string(ev), string(fs)} {
		b = strconv.AppendInt(b, int64(len(f)), 10)
		b = append(b, ':')
		b = append(b, f...)
	}
	return b, nil
}

var errEntry = errors.New("not an entry")

// decodeEntry reads what encode wrote.
func decodeEntry(b []byte) (*entry, error) {
	var fields [12]string
	for i := range fields {
		n, rest, ok := bytes.Cut(b, []byte(":"))
		l, err := strconv.Atoi(string(n))
		if !ok || err != nil || l < 0 || l > len(rest) {
			return nil, errEntry
		}
		fields[i], b = string(rest[:l]), rest[l:]
	}
	if len(b) != 0 || fields[0] != entryFormat {
		return nil, errEntry
	}
	e := &entry{Path: fields[1], Sum: fields[2], Judged: fields[3] == "1", Device: fields[4]}
	if fields[5] == "1" {
		line, err1 := strconv.Atoi(fields[8])
		col, err2 := strconv.Atoi(fields[9])
		if err1 != nil || err2 != nil {
			return nil, errEntry
		}
		e.Report = &cachedReport{Device: fields[6], Period: fields[7], Line: line, Col: col}
	}
	if fields[10] != "" && json.Unmarshal([]byte(fields[10]), &e.Evidence) != nil {
		return nil, errEntry
	}
	if fields[11] != "" && json.Unmarshal([]byte(fields[11]), &e.Findings) != nil {
		return nil, errEntry
	}
	return e, nil
}

// outcome is what the entry says the pipeline found about the record at f;
// rec is the record itself for an exception, which the checks across
// records need.
func (e *entry) outcome(f file, rec *record.Record) outcome {
	o := outcome{fs: e.Findings, path: f.path, kind: f.kind, judged: e.Judged, device: e.Device, rec: rec}
	if e.Report != nil {
		o.report = &reportKey{path: f.path, device: e.Report.Device, period: e.Report.Period, line: e.Report.Line, col: e.Report.Col}
	}
	return o
}

// treeKey is the key of what a check finds about the tree as a whole from
// the registry (CODEOWNERS), with codeownersSum the file's digest.
func (c *Cache) treeKey(sums treeSums, codeownersSum string) cache.Key {
	return cache.NewKeyer("tree").Add(c.Version, sums.rules, sums.registry, codeownersSum).Key()
}

// getFindings returns findings kept under k.
func (c *Cache) getFindings(k cache.Key) ([]finding.Finding, bool) {
	data, ok := c.store.Get(k)
	if !ok {
		return nil, false
	}
	var fs []finding.Finding
	if json.Unmarshal(data, &fs) != nil {
		return nil, false
	}
	return fs, true
}

// putFindings keeps findings under k.
func (c *Cache) putFindings(k cache.Key, fs []finding.Finding) {
	if fs == nil {
		fs = []finding.Finding{}
	}
	if data, err := json.Marshal(fs); err == nil {
		c.store.Put(k, data)
	}
}

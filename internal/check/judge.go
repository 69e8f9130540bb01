package check

import (
	"context"
	"fmt"
	"io/fs"
	"slices"

	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/policy"
	"github.com/posture-dev/posture/internal/record"
	"github.com/posture-dev/posture/internal/settings"
)

// Judge is what one tree trusts, loaded once: its settings, schemas,
// policies, people, devices and exceptions. The audit keeps one per
// distinct commit of the trusted files and re-checks accepted reports with
// it, as they were judged when they were accepted.
type Judge struct {
	t    *trusted
	prep *policy.Prepared
	// sums are the digests of the tree's rules and registry, and cache
	// the cache of its checks (nil: none).
	sums  treeSums
	cache *Cache
}

// registryDirs are the record folders but reports: what a judge loads.
var registryDirs = slices.DeleteFunc(slices.Clone(record.Dirs), func(d string) bool { return d == record.ReportsDir })

// NewJudge loads what fsys (a commit's tree, usually) trusts.
func NewJudge(ctx context.Context, fsys fs.FS) (*Judge, error) {
	t, _, err := loadRules(fsys)
	if err != nil {
		return nil, err
	}
	reg, _, err := walkRoots(fsys, registryDirs, false)
	if err != nil {
		return nil, fmt.Errorf("read the registry: %w", err)
	}
	items := parseFiles(ctx, fsys, reg, true)
	recs := make([]*record.Record, len(items))
	paths, sums := make([]string, len(items)), make([]string, len(items))
	for i, it := range items {
		recs[i], paths[i], sums[i] = it.rec, it.path, it.sum
	}
	t.index(recs)
	prep, err := t.prepare(ctx, t.people, t.devices)
	if err != nil {
		return nil, err
	}
	rules, err := rulesSum(fsys)
	if err != nil {
		return nil, err
	}
	return &Judge{t: t, prep: prep, sums: treeSums{rules: rules, registry: registrySum(paths, sums)}}, nil
}

// SetCache makes the judge's checks look records up in c, and keep there
// what they find (nil: no cache).
func (j *Judge) SetCache(c *Cache) { j.cache = c }

// Settings returns the tree's settings.
func (j *Judge) Settings() settings.Settings { return j.t.settings }

// People returns the tree's people by id.
func (j *Judge) People() map[string]*record.Record { return j.t.people }

// Devices returns the tree's devices by id.
func (j *Judge) Devices() map[string]*record.Record { return j.t.devices }

// Exceptions returns the tree's exception records.
func (j *Judge) Exceptions() []*record.Record { return j.t.exceptions }

// Rules lists the policy rules of the tree.
func (j *Judge) Rules() []policy.RuleInfo { return j.t.engine.Rules() }

// Check checks the records at paths of fsys (which may be another tree than
// the judge's), each against its reference date (YYYY-MM-DD), with the
// judge's exceptions applied.
func (j *Judge) Check(ctx context.Context, fsys fs.FS, paths []string, refDate func(path string) string) ([]finding.Finding, error) {
	var files []file
	for _, p := range paths {
		k, ok, problem := record.Classify(p)
		if !ok {
			continue
		}
		files = append(files, file{path: p, kind: k, problem: problem})
	}
	p := &pipeline{t: j.t, prepared: samePrepared(j.prep)}
	src := source{fsys: fsys, files: files, refDate: refDate}
	v := &verdicts{refDate: refDate, deviceOf: map[string]string{}}
	if c := j.cache; c != nil {
		// Each record is looked up by its bytes; those the cache has no
		// entry of are judged, and kept.
		sc := scanFiles(ctx, "", fsys, files, false, true)
		hits := make([]*entry, len(files))
		dg := newDigests(fsys)
		parallel(ctx, len(files), func(i int) {
			if sum := sc.sums[i]; sum != "" {
				hits[i], _ = c.get(c.key(j.sums, files[i], sum, refDate(files[i].path)), files[i], sum, dg)
			}
		})
		src.files = nil
		for i, f := range files {
			if e := hits[i]; e != nil && f.kind != record.Exception {
				v.add(e.outcome(f, nil))
			} else {
				src.files = append(src.files, f) // exceptions too: few, and read as records
			}
		}
		p.keep = func(f file, sum string, o outcome) { c.put(c.key(j.sums, f, sum, refDate(f.path)), f, sum, o) }
	}
	if len(src.files) > 0 {
		judged, err := p.run(ctx, src)
		if err != nil {
			return nil, err
		}
		v.merge(judged)
	}
	return finding.Cap(v.silence(v.findings, exceptionsOf(j.t.exceptions)), finding.MaxPerFile), nil
}

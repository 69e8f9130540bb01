package check

import (
	"context"
	"fmt"
	"io/fs"

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
}

// NewJudge loads what fsys (a commit's tree, usually) trusts.
func NewJudge(ctx context.Context, fsys fs.FS) (*Judge, error) {
	t, _, err := loadRules(fsys)
	if err != nil {
		return nil, err
	}
	files, _, err := walk(fsys, nil)
	if err != nil {
		return nil, fmt.Errorf("read the registry: %w", err)
	}
	var reg []file
	for _, f := range files {
		if f.kind != record.Report {
			reg = append(reg, f)
		}
	}
	recs, _ := readAll(ctx, fsys, reg)
	t.index(recs)
	prep, err := t.prepare(ctx, t.people, t.devices)
	if err != nil {
		return nil, err
	}
	return &Judge{t: t, prep: prep}, nil
}

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
	v, err := p.run(ctx, source{fsys: fsys, files: files, refDate: refDate})
	if err != nil {
		return nil, err
	}
	return finding.Cap(v.silence(v.findings, exceptionsOf(j.t.exceptions)), finding.MaxPerFile), nil
}

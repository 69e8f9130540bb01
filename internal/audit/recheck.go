package audit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"testing/fstest"

	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/posture-dev/posture/internal/check"
	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/record"
	"github.com/posture-dev/posture/internal/schema"
	"github.com/posture-dev/posture/internal/settings"
)

// judged is what one commit trusts. Judges are made once per distinct
// commit of the trusted files (policies/, schemas/, people/, devices/,
// posture.yaml), so policies are compiled once per such commit.
type judged struct {
	j          *check.Judge
	settings   settings.Settings
	people     map[string]*record.Record
	devices    map[string]*record.Record
	exceptions []*record.Record
	err        error // the rules could not be loaded at that commit
	step       int   // the step whose tree it was loaded from
}

// judge returns the judge of step i's trusted files. An error is a failure
// to read the repository; rules that do not load come back in judged.err.
func (r *run) judge(ctx context.Context, i int) (*judged, error) {
	k := r.keys[i]
	if j, ok := r.judges[k]; ok {
		return j, nil
	}
	c, err := r.repo.Resolve(r.steps[k].Hash.String())
	if err != nil {
		return nil, err
	}
	var jd *judged
	if k == r.keys[len(r.keys)-1] {
		// No step after k changed a walked path; the head's judge stands in
		// for k's when the head's tree has at its root what a judge reads
		// exactly as k's has (a root file named schemas is no walked path).
		head, err := r.head.wait()
		if err != nil {
			return nil, err
		}
		same, err := r.repo.SameRootEntries(c, r.head.commit, judgeRoots...)
		if err != nil {
			return nil, err
		}
		if same {
			jd = head
		}
	}
	if jd == nil {
		if jd, err = loadJudged(ctx, r.repo, c, r.opts.Cache); err != nil {
			return nil, err
		}
	}
	jd.step = k
	r.judges[k] = jd
	return jd, nil
}

// loadJudged loads what commit c trusts.
func loadJudged(ctx context.Context, repo *gitrepo.Repo, c *object.Commit, cache *check.Cache) (*judged, error) {
	fsys, err := repo.TreeFS(c)
	if err != nil {
		return nil, err
	}
	jd := &judged{settings: settings.Default(), people: map[string]*record.Record{}, devices: map[string]*record.Record{}}
	if j, err := check.NewJudge(ctx, fsys); err != nil {
		jd.err = err
	} else {
		j.SetCache(cache)
		jd.j, jd.settings, jd.people, jd.devices, jd.exceptions = j, j.Settings(), j.People(), j.Devices(), j.Exceptions()
	}
	return jd, nil
}

// headJudge is the judge of the head's trusted files, loaded in the
// background while the history is walked: the audit always needs it (for
// the settings, at least), and the walk leaves a core idle.
type headJudge struct {
	commit *object.Commit
	done   chan struct{}
	jd     *judged
	err    error
}

// judgeRoots are the names at the root of a tree that a judge reads.
var judgeRoots = []string{settings.File, schema.Dir, record.PolicyDir, record.PeopleDir, record.DevicesDir}

// loadHeadJudge starts loading the judge of head.
func loadHeadJudge(ctx context.Context, repo *gitrepo.Repo, head *object.Commit, cache *check.Cache) *headJudge {
	h := &headJudge{commit: head, done: make(chan struct{})}
	go func() {
		defer close(h.done)
		h.jd, h.err = loadJudged(ctx, repo, head, cache)
	}()
	return h
}

// wait returns the loaded judge once it is there.
func (h *headJudge) wait() (*judged, error) {
	<-h.done
	return h.jd, h.err
}

// recheck checks every accepted report again with the judge of the merge
// that accepted it, measured against the day of that merge.
func (r *run) recheck(ctx context.Context, rows []*rowState) error {
	groups := map[int][]*rowState{}
	var keys []int
	for _, rs := range rows {
		if rs.st.accepted == nil {
			continue
		}
		k := r.keys[rs.st.accepted.step]
		if groups[k] == nil {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], rs)
	}
	slices.Sort(keys)
	for _, k := range keys {
		jd, err := r.judge(ctx, k)
		if err != nil {
			return err
		}
		if err := r.recheckGroup(ctx, jd, groups[k]); err != nil {
			return err
		}
	}
	return nil
}

// recheckGroup checks reports judged by one judge: those without evidence
// files in one batch over their accepted blobs, the others one by one over
// the tree of the merge that accepted them.
func (r *run) recheckGroup(ctx context.Context, jd *judged, rows []*rowState) error {
	refDates := map[string]string{}
	batch := fstest.MapFS{}
	var batched []string
	for _, rs := range rows {
		acc := rs.st.accepted
		rs.row.Recheck = &Recheck{Result: Unchecked, RulesCommit: r.steps[jd.step].Hash.String(),
			RefDate: jd.settings.Date(r.steps[acc.step].Committer.When), Rules: []string{}}
		if jd.err != nil {
			continue
		}
		refDates[rs.row.Path] = rs.row.Recheck.RefDate
		data, err := r.repo.Blob(acc.blob)
		if err != nil {
			return err
		}
		if !bytes.Contains(data, []byte("evidence")) {
			batch[rs.row.Path] = &fstest.MapFile{Data: data}
			batched = append(batched, rs.row.Path)
			continue
		}
		c, err := r.repo.Resolve(r.steps[acc.step].Hash.String())
		if err != nil {
			return err
		}
		tree, err := r.repo.TreeFS(c)
		if err != nil {
			return err
		}
		fsys := overlay{files: fstest.MapFS{rs.row.Path: &fstest.MapFile{Data: data}}, under: tree}
		if err := r.judgeRows(ctx, jd, fsys, []string{rs.row.Path}, refDates, rows); err != nil {
			return err
		}
	}
	if len(batched) == 0 {
		return nil
	}
	return r.judgeRows(ctx, jd, overlay{files: batch}, batched, refDates, rows)
}

// judgeRows checks paths of fsys and files the results under their rows.
func (r *run) judgeRows(ctx context.Context, jd *judged, fsys fs.FS, paths []string, refDates map[string]string, rows []*rowState) error {
	fs_, err := jd.j.Check(ctx, fsys, paths, func(p string) string { return refDates[p] })
	if err != nil {
		return fmt.Errorf("re-check %d reports with the rules of %s: %w", len(paths), short(r.steps[jd.step].Hash), err)
	}
	by := map[string][]finding.Finding{}
	for _, f := range fs_ {
		by[f.File] = append(by[f.File], f)
	}
	want := make(map[string]bool, len(paths))
	for _, p := range paths {
		want[p] = true
	}
	for _, rs := range rows {
		if !want[rs.row.Path] {
			continue
		}
		rc := rs.row.Recheck
		rc.Result = Pass
		rc.Errors, rc.Warnings = finding.Count(by[rs.row.Path])
		rc.Rules = finding.Rules(by[rs.row.Path])
		switch {
		case rc.Errors > 0:
			rc.Result = Fail
			acc := r.steps[rs.st.accepted.step].Hash
			r.finding("audit.recheck_failed", Error, rs.row.Path, acc,
				"the report was accepted in %s although the rules of that merge fail it (%v) on %s; find out how it passed the review",
				short(acc), rc.Rules, rc.RefDate)
		case rc.Warnings > 0:
			rc.Result = Warn
		}
	}
	return nil
}

// overlay serves files from memory and everything else from under, if set.
type overlay struct {
	files fstest.MapFS
	under fs.FS
}

func (o overlay) Open(name string) (fs.File, error) {
	f, err := o.files.Open(name)
	if err == nil || o.under == nil || !errors.Is(err, fs.ErrNotExist) {
		return f, err
	}
	return o.under.Open(name)
}

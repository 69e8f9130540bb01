package check

import (
	"context"
	"io/fs"
	"slices"
	"strings"
	"sync"

	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/policy"
	"github.com/posture-dev/posture/internal/record"
)

// pipeline is the one record pipeline of every check (Full, Diff and
// Judge.Check): each record of a source is parsed, validated against its
// schema, a report's evidence files are hashed against the digests it
// states, and the policies judge it on its reference date; the exceptions
// in force then silence what they waive. The checks differ only in what
// they trust (the pipeline's side) and where the records come from (the
// source); the trust boundary of a pull request is Diff's, decided in
// boundary.go, never here.
type pipeline struct {
	t *trusted
	// prepared returns the policies, readied with their registry, that
	// judge a record of kind k.
	prepared func(k record.Kind) *policy.Prepared
	// broken lists the registry files that could not be read (a full
	// check reads them without failing): a reference to one is explained
	// rather than reported as unregistered.
	broken unreadable
	// keep, when set, is told what the pipeline found about each record
	// read, with the SHA-256 of the bytes it judged: for the cache.
	keep func(f file, sum string, o outcome)
}

// source is where the records under check come from: the tree they and
// the evidence files their reports cite are read from, the records, and
// the day each record is judged as of.
type source struct {
	fsys fs.FS
	// parsed are records a caller parsed already (the registry of a full
	// check, the records a pull request changes), dropped once judged.
	parsed []item
	// files are read by the pipeline, each parsed, judged and dropped in
	// turn, so that a check holds only the records it is judging.
	files   []file
	refDate func(path string) string
}

// item is a record a caller parsed, with the findings of its reading.
type item struct {
	file
	rec *record.Record // nil: the file could not be read
	fs  []finding.Finding
	// validated is set when fs holds the schema's findings too.
	validated bool
	// doc is the record as the policies see it, when converted already.
	doc policy.Doc
	// held is set for a record held as its doc alone (rec is nil): the
	// registry of a full check. Its file is read again for the positions
	// of its findings, if the policies find any.
	held bool
	// sum is the SHA-256 of the bytes it was parsed from, for the cache
	// ("" when unknown).
	sum string
}

// parsedItems makes items of records parsed already, in the order of recs
// and fss (one findings list per record; nil recs are unreadable files).
func parsedItems(files []file, recs []*record.Record, fss [][]finding.Finding) []item {
	out := make([]item, len(files))
	for i, f := range files {
		out[i] = item{file: f, rec: recs[i], fs: fss[i]}
	}
	return out
}

// verdicts is what the pipeline found: the findings about the records of
// a source, and what the checks across records need to know of them.
type verdicts struct {
	findings []finding.Finding
	// refDate is each record's reference date, by path.
	refDate func(path string) string
	// deviceOf holds the device each judged report (its device field) or
	// device (its file name) is about, by path: what exceptions apply to.
	deviceOf map[string]string
	// reports are the judged reports in path order, for the duplicates
	// check.
	reports []reportKey
	// exceptions are the exception records judged.
	exceptions []*record.Record
	err        error
}

// outcome is what the pipeline found about one record.
type outcome struct {
	fs     []finding.Finding
	rec    *record.Record // kept for exceptions only
	path   string
	kind   record.Kind
	judged bool // read and parsed
	device string
	report *reportKey
	// evidence holds the digests of the evidence files a report cites.
	evidence []evidenceDep
	err      error
}

// add files o under v.
func (v *verdicts) add(o outcome) {
	if o.err != nil {
		if v.err == nil {
			v.err = o.err
		}
		return
	}
	v.findings = append(v.findings, o.fs...)
	if !o.judged {
		return // unreadable: nothing was judged
	}
	if o.device != "" {
		v.deviceOf[o.path] = o.device
	}
	if o.report != nil {
		v.reports = append(v.reports, *o.report)
	}
	if o.kind == record.Exception {
		v.exceptions = append(v.exceptions, o.rec)
	}
}

// run judges every record of src concurrently, and keeps of each only what
// it found. An error means the policies could not run; what is wrong with
// a record is a finding.
func (p *pipeline) run(ctx context.Context, src source) (*verdicts, error) {
	sums := newDigests(src.fsys)
	v := &verdicts{refDate: src.refDate, deviceOf: map[string]string{}}
	var mu sync.Mutex
	n := len(src.parsed)
	parallel(ctx, n+len(src.files), func(i int) {
		var o outcome
		var f file
		var sum string
		if i < n {
			it := &src.parsed[i]
			f, sum = it.file, it.sum
			if it.held {
				o = p.judgeHeld(ctx, src, it)
			} else {
				o = p.judge(ctx, src, it.file, it.rec, it.fs, it.validated, it.doc, sums)
			}
			*it = item{} // judged: the record is dropped
		} else {
			f = src.files[i-n]
			b := readBlob(src.fsys, f)
			if p.keep != nil && b.data != nil {
				sum = sumOf(b.data)
			}
			rec, fs := b.parse()
			o = p.judge(ctx, src, f, rec, fs, false, policy.Doc{}, sums)
		}
		// Keeping is safe in parallel (the store has its own lock), and is
		// most of this step's work: outside the verdicts' lock.
		if p.keep != nil && o.err == nil && sum != "" {
			p.keep(f, sum, o)
		}
		mu.Lock()
		v.add(o)
		mu.Unlock()
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if v.err != nil {
		return nil, v.err
	}
	slices.SortFunc(v.reports, func(a, b reportKey) int { return strings.Compare(a.path, b.path) })
	return v, nil
}

// judge takes one record, rec (nil when f could not be read), with the
// findings of its reading, through the rest of the pipeline.
func (p *pipeline) judge(ctx context.Context, src source, f file, rec *record.Record, fs []finding.Finding, validated bool, doc policy.Doc, sums *digests) outcome {
	o := outcome{path: f.path, kind: f.kind}
	if rec == nil {
		o.fs = fs
		return o
	}
	if !validated {
		fs = append(fs, p.t.schemas.Validate(rec)...)
	}
	o.judged = true
	switch rec.Kind {
	case record.Report:
		fs = append(fs, sums.check(rec)...)
		if p.keep != nil {
			for _, it := range evidenceItems(rec) {
				o.evidence = append(o.evidence, evidenceDep{Path: it.full, digest: sums.of(it.full)})
			}
		}
		o.device = rec.String("device")
		line, col := rec.Pos("device")
		o.report = &reportKey{path: rec.Path, device: o.device, period: rec.String("period"), line: line, col: col}
	case record.Device:
		o.device = record.IDOf(rec.Path)
	case record.Exception:
		o.rec = rec
	}
	s := subject{rec: rec, doc: doc, refDate: src.refDate(rec.Path), prepared: p.prepared(rec.Kind)}
	o.fs, o.err = judge(ctx, p.t, s, fs)
	o.fs = p.broken.explain(s, o.fs)
	return o
}

// judgeHeld judges a registry record held as its Doc (validated when it
// was read): by the Doc, and, where the policies find something, by the
// record read again for the positions of the findings.
func (p *pipeline) judgeHeld(ctx context.Context, src source, it *item) outcome {
	o := outcome{path: it.path, kind: it.kind, judged: true}
	if it.kind == record.Device {
		o.device = record.IDOf(it.path)
	}
	s := subject{rec: &record.Record{Path: it.path, Kind: it.kind}, doc: it.doc, refDate: src.refDate(it.path), prepared: p.prepared(it.kind)}
	vs, err := s.eval(ctx)
	if err != nil {
		o.err = err
		return o
	}
	if len(vs) > 0 {
		b := readBlob(src.fsys, it.file)
		if rec, _ := b.parse(); rec != nil {
			s.rec = rec
		}
	}
	o.fs = p.broken.explain(s, place(s, vs, it.fs))
	return o
}

// silence applies the exceptions in force, excs, to fs, findings about the
// records v judged (and others, which no exception covers), and marks the
// exceptions that silenced something.
func (v *verdicts) silence(fs []finding.Finding, excs []*exception) []finding.Finding {
	return silence(fs, excs, v.refDate, v.deviceOf)
}

// samePrepared is the pipeline's choice of policies when one registry
// judges every kind of record.
func samePrepared(p *policy.Prepared) func(record.Kind) *policy.Prepared {
	return func(record.Kind) *policy.Prepared { return p }
}

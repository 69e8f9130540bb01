package check

import (
	"context"
	"io/fs"

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
}

// source is where the records under check come from: the tree they and
// the evidence files their reports cite are read from, the record files,
// and the day each record is judged as of.
type source struct {
	fsys    fs.FS
	items   []item
	refDate func(path string) string
}

// item is one record file of a source: a file the pipeline reads, a blob
// it parses (and drops once judged), or a record a caller parsed already
// (the registry of a full check, the records a pull request changes) with
// the findings of its reading.
type item struct {
	blob
	unread bool // the pipeline reads the file from the source
	rec    *record.Record
	fs     []finding.Finding
	parsed bool // rec and fs hold the parse's result; rec nil: unreadable
	// validated is set when fs holds the schema's findings too.
	validated bool
}

// fileItems makes items of files that the pipeline reads.
func fileItems(files []file) []item {
	out := make([]item, len(files))
	for i, f := range files {
		out[i] = item{blob: blob{file: f}, unread: true}
	}
	return out
}

// parsedItems makes items of records parsed already, in the order of recs
// and fss (one findings list per record; nil recs are unreadable files).
func parsedItems(files []file, recs []*record.Record, fss [][]finding.Finding) []item {
	out := make([]item, len(files))
	for i, f := range files {
		out[i] = item{blob: blob{file: f}, rec: recs[i], fs: fss[i], parsed: true}
	}
	return out
}

// verdicts is what the pipeline found: the findings about the records of
// a source, and what the checks across records need to know of them.
type verdicts struct {
	findings []finding.Finding
	// refDates holds each judged record's reference date, by path.
	refDates map[string]string
	// deviceOf holds the device each judged report (its device field) or
	// device (its file name) is about, by path: what exceptions apply to.
	deviceOf map[string]string
	// reports are the judged reports, for the duplicates check.
	reports []reportKey
	// exceptions are the exception records judged.
	exceptions []*record.Record
}

// outcome is what the pipeline found about one item.
type outcome struct {
	fs      []finding.Finding
	rec     *record.Record // kept for exceptions only
	path    string
	kind    record.Kind
	judged  bool // read and parsed: refDate is its reference date
	refDate string
	device  string
	report  *reportKey
	err     error
}

// run judges every item of src concurrently. An error means the policies
// could not run; what is wrong with a record is a finding.
func (p *pipeline) run(ctx context.Context, src source) (*verdicts, error) {
	sums := newDigests(src.fsys)
	outs := make([]outcome, len(src.items))
	parallel(ctx, len(src.items), func(i int) {
		outs[i] = p.judge(ctx, src, &src.items[i], sums)
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	v := &verdicts{refDates: map[string]string{}, deviceOf: map[string]string{}}
	for _, o := range outs {
		if o.err != nil {
			return nil, o.err
		}
		v.findings = append(v.findings, o.fs...)
		if !o.judged {
			continue // unreadable: nothing was judged
		}
		v.refDates[o.path] = o.refDate
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
	return v, nil
}

// judge takes one item through the pipeline and drops its text.
func (p *pipeline) judge(ctx context.Context, src source, it *item, sums *digests) outcome {
	if it.unread {
		it.blob, it.unread = readBlob(src.fsys, it.file), false
	}
	rec, fs := it.rec, it.fs
	if !it.parsed {
		rec, fs = it.blob.parse()
		it.blob.data = nil
	}
	o := outcome{path: it.path, kind: it.kind}
	if rec == nil {
		o.fs = fs
		return o
	}
	if !it.validated {
		fs = append(fs, p.t.schemas.Validate(rec)...)
	}
	o.judged, o.refDate = true, src.refDate(rec.Path)
	switch rec.Kind {
	case record.Report:
		fs = append(fs, sums.check(rec)...)
		o.device = rec.String("device")
		line, col := rec.Pos("device")
		o.report = &reportKey{path: rec.Path, device: o.device, period: rec.String("period"), line: line, col: col}
	case record.Device:
		o.device = record.IDOf(rec.Path)
	case record.Exception:
		o.rec = rec
	}
	o.fs, o.err = judge(ctx, p.t, subject{rec: rec, refDate: o.refDate, prepared: p.prepared(rec.Kind)}, fs)
	o.fs = p.broken.explain(rec, o.fs)
	return o
}

// silence applies the exceptions in force, excs, to fs, findings about the
// records v judged (and others, which no exception covers), and marks the
// exceptions that silenced something.
func (v *verdicts) silence(fs []finding.Finding, excs []*exception) []finding.Finding {
	return silence(fs, excs, v.refDates, v.deviceOf)
}

// samePrepared is the pipeline's choice of policies when one registry
// judges every kind of record.
func samePrepared(p *policy.Prepared) func(record.Kind) *policy.Prepared {
	return func(record.Kind) *policy.Prepared { return p }
}

package check

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"sync"

	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/record"
)

// Rule ids of checks across files.
const (
	ruleEvidenceFile = "evidence.file"
	ruleDuplicate    = "report.duplicate"
)

// The bounds the report schema puts on evidence (schemas/report.schema.json:
// maxItems and maxLength), applied before any evidence file is read, so that
// a hostile report costs no more than the schema allows. The schema itself
// reports a report over them.
const (
	maxEvidenceItems = 20
	maxEvidencePath  = 200
	maxEvidenceSize  = 20 << 20
)

// evidenceItem is one entry of a report's evidence list.
type evidenceItem struct {
	i          int
	path, full string // as written, and from the repository's root
	sha256     string
}

// evidenceItems returns the entries of rec's evidence list that name a path
// inside the report's folder, or nothing when the list is over the schema's
// bounds. Paths that leave the folder are the policies' to refuse.
func evidenceItems(rec *record.Record) []evidenceItem {
	items, _ := rec.Data["evidence"].([]any)
	if len(items) > maxEvidenceItems {
		return nil
	}
	var out []evidenceItem
	for i, it := range items {
		m, _ := it.(map[string]any)
		p, _ := m["path"].(string)
		want, _ := m["sha256"].(string)
		if p == "" || len(p) > maxEvidencePath || !localPath(p) {
			continue
		}
		out = append(out, evidenceItem{i: i, path: p, full: path.Join(path.Dir(rec.Path), p), sha256: want})
	}
	return out
}

// evidenceAt returns a finding about evidence entry i's field of rec.
func evidenceAt(rec *record.Record, i int, field, rule, format string, args ...any) finding.Finding {
	line, col := rec.Pos("evidence", strconv.Itoa(i), field)
	return finding.Finding{File: rec.Path, Line: line, Column: col, Rule: rule,
		Severity: finding.Deny, Message: fmt.Sprintf(format, args...)}
}

// digests hashes the evidence files of a tree, each file once however many
// reports cite it. It is safe for concurrent use.
type digests struct {
	fsys fs.FS
	mu   sync.Mutex
	sums map[string]digest
}

// digest is a file's sha256, or why it has none: a message naming the file
// as %q.
type digest struct{ sum, problem string }

func newDigests(fsys fs.FS) *digests { return &digests{fsys: fsys, sums: map[string]digest{}} }

func (d *digests) of(full string) digest {
	d.mu.Lock()
	defer d.mu.Unlock()
	if got, ok := d.sums[full]; ok {
		return got
	}
	var got digest
	info, err := fs.Stat(d.fsys, full)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		got.problem = "evidence file %q is not in the repository; add it at " + strings.ReplaceAll(full, "%", "%%") + " in the same pull request"
	case err != nil || !info.Mode().IsRegular():
		got.problem = "evidence file %q is not a regular file; posture never follows links"
	case info.Size() > maxEvidenceSize:
		got.problem = fmt.Sprintf("evidence file %%q is %d bytes; the limit is 20 MiB: crop the screenshot or export a smaller file", info.Size())
	default:
		data, err := fs.ReadFile(d.fsys, full)
		if err != nil {
			got.problem = "could not read evidence file %q: " + strings.ReplaceAll(err.Error(), "%", "%%")
			break
		}
		sum := sha256.Sum256(data)
		got.sum = hex.EncodeToString(sum[:])
	}
	d.sums[full] = got
	return got
}

// check checks that each evidence file rec names is in the tree next to the
// report with the sha256 it states.
func (d *digests) check(rec *record.Record) []finding.Finding {
	var out []finding.Finding
	for _, it := range evidenceItems(rec) {
		got := d.of(it.full)
		switch {
		case got.problem != "":
			out = append(out, evidenceAt(rec, it.i, "path", ruleEvidenceFile, got.problem, it.path))
		case it.sha256 != "" && got.sum != it.sha256:
			out = append(out, evidenceAt(rec, it.i, "sha256", ruleEvidenceFile,
				"evidence file %q has sha256 %s, not %s; write the digest that sha256sum prints", it.path, got.sum, it.sha256))
		}
	}
	return out
}

// localPath reports whether p stays inside the folder it is relative to.
func localPath(p string) bool {
	if strings.Contains(p, `\`) || path.IsAbs(p) {
		return false
	}
	return fs.ValidPath(path.Clean(p)) && !strings.HasPrefix(path.Clean(p), "..") && path.Clean(p) != "."
}

// reportKey names a report by its content: which device, which period.
type reportKey struct {
	path, device, period string
	line, col            int
}

// duplicates finds two report files for the same device and period.
func duplicates(reports []reportKey) []finding.Finding {
	first := map[string]string{}
	var out []finding.Finding
	for _, r := range reports {
		if r.device == "" || r.period == "" {
			continue
		}
		key := r.period + "/" + r.device
		if prev, ok := first[key]; ok {
			out = append(out, finding.Finding{File: r.path, Line: r.line, Column: r.col, Rule: ruleDuplicate, Severity: finding.Deny,
				Message: fmt.Sprintf("device %q already has a report for %s in %s; keep one report per device per month", r.device, r.period, prev)})
			continue
		}
		first[key] = r.path
	}
	return out
}

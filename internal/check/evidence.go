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

	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/record"
)

// Rule ids of checks across files.
const (
	ruleEvidenceFile = "evidence.file"
	ruleDuplicate    = "report.duplicate"
)

// evidence checks that each evidence file a report names is in the tree next
// to the report with the sha256 it states. Paths that leave the report's
// folder are the policies' to refuse; they are not opened here.
func evidence(fsys fs.FS, rec *record.Record) []finding.Finding {
	items, _ := rec.Data["evidence"].([]any)
	var out []finding.Finding
	for i, it := range items {
		m, _ := it.(map[string]any)
		p, _ := m["path"].(string)
		want, _ := m["sha256"].(string)
		if p == "" || !localPath(p) {
			continue
		}
		full := path.Join(path.Dir(rec.Path), p)
		at := func(field, format string, args ...any) {
			line, col := rec.Pos("evidence", strconv.Itoa(i), field)
			out = append(out, finding.Finding{File: rec.Path, Line: line, Column: col, Rule: ruleEvidenceFile,
				Severity: finding.Deny, Message: fmt.Sprintf(format, args...)})
		}
		info, err := fs.Stat(fsys, full)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			at("path", "evidence file %q is not in the repository; add it at %s in the same pull request", p, full)
			continue
		case err != nil || !info.Mode().IsRegular():
			at("path", "evidence file %q is not a regular file; posture never follows links", p)
			continue
		case info.Size() > 20<<20:
			at("path", "evidence file %q is %d bytes; the limit is 20 MiB: crop the screenshot or export a smaller file", p, info.Size())
			continue
		}
		data, err := fs.ReadFile(fsys, full)
		if err != nil {
			at("path", "could not read evidence file %q: %v", p, err)
			continue
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); want != "" && got != want {
			at("sha256", "evidence file %q has sha256 %s, not %s; write the digest that sha256sum prints", p, got, want)
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

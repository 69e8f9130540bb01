package check

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/policy"
	"github.com/posture-dev/posture/internal/record"
)

// hostileSize is the size the hostile reports are built to: just under
// record.MaxSize, the largest file posture reads.
const hostileSize = record.MaxSize - 4096

// hostilePath is where the hostile reports stand: the place of a clean
// report of testdata/ok, whose device and reporter the registry knows.
const hostilePath = "reports/2026-11/d-win.yaml"

// hostileBase is a clean report of testdata/ok's d-win.
const hostileBase = `period: "2026-11"
device: d-win
reporter: e2
os_version: "10.0.26200"
antivirus: Microsoft Defender
real_time_protection: true
signatures_updated: 2026-11-09
last_quick_scan: 2026-11-08
last_full_scan: 2026-10-20
threats_found: 0
threats_resolved: 0
disk_encryption: true
screen_lock_minutes: 5
jailbroken: false
wifi_mac: 3C-22-FB-12-34-56
`

// hostileReports are reports of about 1 MiB that each stress one way a
// record can be large: each must cost time linear in its size.
func hostileReports() []struct{ name, src string } {
	var keys strings.Builder
	keys.WriteString(hostileBase)
	for i := range hostileKeys {
		fmt.Fprintf(&keys, "unknown_%08d: 1\n", i) // 20 bytes a key
	}

	huge := hostileBase + "concerns: " + strings.Repeat("a", hostileSize-len(hostileBase)-12) + "\n"

	// Nested flow collections under unknown keys, each well within
	// yaml.v3's depth limit, repeated to fill the file.
	const depth = 2000
	nest := strings.Repeat("{a: [", depth) + "1" + strings.Repeat("]}", depth)
	var nested strings.Builder
	nested.WriteString(hostileBase)
	for i := 0; nested.Len()+len(nest)+20 < hostileSize; i++ {
		fmt.Fprintf(&nested, "nested_%d: %s\n", i, nest)
	}

	var ev strings.Builder
	ev.WriteString(hostileBase + "evidence:\n")
	for i := 0; ev.Len() < hostileSize-200; i++ {
		fmt.Fprintf(&ev, "  - path: evidence/missing-%06d.png\n    sha256: \"%064x\"\n", i, i)
	}

	var line strings.Builder
	line.WriteString(hostileBase + "one_line: [")
	for i := 0; line.Len() < hostileSize-20; i++ {
		fmt.Fprintf(&line, "v%d, ", i)
	}
	line.WriteString("end]\n")

	// Half unknown keys, then evidence entries: each entry's position is
	// looked up past every key before it.
	var mixed strings.Builder
	mixed.WriteString(hostileBase)
	for i := range hostileKeys / 2 {
		fmt.Fprintf(&mixed, "unknown_%08d: 1\n", i)
	}
	mixed.WriteString("evidence:\n")
	for i := 0; mixed.Len() < hostileSize-200; i++ {
		fmt.Fprintf(&mixed, "  - path: evidence/missing-%06d.png\n    sha256: \"%064x\"\n", i, i)
	}

	return []struct{ name, src string }{
		{"unknown-keys", keys.String()},
		{"huge-string", huge},
		{"nested", nested.String()},
		{"evidence", ev.String()},
		{"long-line", line.String()},
		{"keys-then-evidence", mixed.String()},
	}
}

// hostileKeys is how many unknown keys the unknown-keys report has: far
// more than record.MaxNodes allows.
const hostileKeys = 50000

// hostileJudge loads testdata/ok's rules and registry once, as a check
// does before it reads reports.
func hostileJudge(tb testing.TB) (*trusted, *policy.Prepared, fs.FS) {
	tb.Helper()
	ctx := context.Background()
	fsys := os.DirFS("../../testdata/ok")
	t, _, err := loadRules(fsys)
	if err != nil {
		tb.Fatal(err)
	}
	files, _, err := walk(fsys, nil)
	if err != nil {
		tb.Fatal(err)
	}
	recs, _ := readAll(ctx, fsys, files)
	t.index(recs)
	prep, err := t.prepare(ctx, t.people, t.devices)
	if err != nil {
		tb.Fatal(err)
	}
	return t, prep, fsys
}

// checkOne runs one report through what Full does to each report: parse,
// schema, evidence files and policies, then caps the findings per file.
func checkOne(tb testing.TB, t *trusted, prep *policy.Prepared, fsys fs.FS, src []byte) []finding.Finding {
	p := &pipeline{t: t, prepared: samePrepared(prep)}
	rec, fs := record.Parse(hostilePath, record.Report, src)
	items := []item{{file: file{path: hostilePath, kind: record.Report}, rec: rec, fs: fs}}
	v, err := p.run(context.Background(), source{fsys: fsys, parsed: items, refDate: func(string) string { return "2026-11-10" }})
	if err != nil {
		tb.Fatal(err)
	}
	return finding.Cap(v.findings, finding.MaxPerFile)
}

// BenchmarkHostileReport checks reports of about 1 MiB built to be
// expensive; each should cost time linear in its size.
func BenchmarkHostileReport(b *testing.B) {
	t, prep, fsys := hostileJudge(b)
	for _, h := range hostileReports() {
		if len(h.src) > record.MaxSize {
			b.Fatalf("%s: %d bytes, more than record.MaxSize", h.name, len(h.src))
		}
		src := []byte(h.src)
		b.Run(h.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			var n int
			for range b.N {
				n = len(checkOne(b, t, prep, fsys, src))
			}
			b.ReportMetric(float64(n), "findings")
		})
	}
}

// TestHostileUnknownKeys checks that a report of as many unknown keys as
// record.MaxNodes allows gets the cap's number of findings, in the order of
// the file, and one that counts the rest.
func TestHostileUnknownKeys(t *testing.T) {
	tr, prep, fsys := hostileJudge(t)
	base := strings.Count(hostileBase, "\n")
	keys := (record.MaxNodes - 1 - 2*base) / 2
	var src strings.Builder
	src.WriteString(hostileBase)
	for i := range keys {
		fmt.Fprintf(&src, "unknown_%08d: 1\n", i)
	}
	fs := checkOne(t, tr, prep, fsys, []byte(src.String()))
	if len(fs) != finding.MaxPerFile+1 {
		t.Fatalf("got %d findings, want %d and one for the rest", len(fs), finding.MaxPerFile)
	}
	for i, f := range fs[:finding.MaxPerFile] {
		if f.Rule != "schema.unknown_field" || f.Line != base+1+i || !strings.Contains(f.Message, fmt.Sprintf("unknown_%08d", i)) {
			t.Errorf("finding %d: %s, want unknown_%08d at line %d", i, f, i, base+1+i)
		}
	}
	last := fs[finding.MaxPerFile]
	want := finding.Finding{File: hostilePath, Line: base + 1 + finding.MaxPerFile, Column: 1, Rule: finding.RuleTooMany, Severity: finding.Deny,
		Message: fmt.Sprintf("… and %d more findings in this file; fix these first", keys-finding.MaxPerFile)}
	if last != want {
		t.Errorf("last finding %+v, want %+v", last, want)
	}
}

// TestHostileReportsRefused checks that each hostile report of more keys
// and values than record.MaxNodes is refused whole, with one finding at the
// first one past the limit, before the schema and the policies see it.
func TestHostileReportsRefused(t *testing.T) {
	tr, prep, fsys := hostileJudge(t)
	for _, h := range hostileReports() {
		t.Run(h.name, func(t *testing.T) {
			fs := checkOne(t, tr, prep, fsys, []byte(h.src))
			if h.name == "huge-string" {
				if len(fs) != 1 || fs[0].Rule == record.RuleSize {
					t.Fatalf("got %v, want the one finding of the policies on a long concerns", fs)
				}
				return
			}
			if len(fs) != 1 || fs[0].Rule != record.RuleSize || fs[0].Line <= strings.Count(hostileBase, "\n") ||
				!strings.Contains(fs[0].Message, fmt.Sprintf("posture reads at most %d", record.MaxNodes)) {
				t.Fatalf("got %v, want one %s finding past the clean report's lines", fs, record.RuleSize)
			}
		})
	}
}

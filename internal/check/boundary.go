package check

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/record"
)

// Rule ids of the trust boundary of a pull request.
const (
	ruleMixed     = "change.mixed"
	ruleDeleted   = "change.deleted"
	ruleAuthor    = "change.author"
	ruleOwner     = "change.owner"
	ruleRetired   = "change.retired"
	ruleEvidence  = "change.evidence"
	ruleTree      = "change.tree"
	ruleMergeBase = "change.merge_base"
)

// The trust boundary of a pull request: what posture lets a pull request
// change, and whose change it is. It is decided here, in admit and
// ownership, and nowhere else.
//
// A pull request that adds or changes any report or device is a data
// change: it is reviewed by the employee's supervisor and the contractor,
// not by IT, so it may carry only what those reviewers judge.
//
//  1. Allowlist, not blocklist. A data change may contain only report files
//     at reports/<YYYY-MM>/<device-id>.yaml, device files at
//     devices/<id>.yaml, and new evidence files under
//     reports/<YYYY-MM>/evidence/ that a report of the same pull request
//     cites with their sha256. Any other path (any case, hidden, in a
//     sub-folder, another extension, a new top-level file) makes it a
//     mixed change, refused with the path named. protected_paths in
//     posture.yaml says what IT owns (CODEOWNERS); it does not decide what
//     may ride along. A record-like file in the wrong place gets a finding
//     saying where it belongs.
//  2. Ownership and status come from the base (record.Owner). A device on
//     the base is changed only by its base owner, its owner never changes
//     in a data change (a transfer is an IT admin's pull request of devices
//     alone), and a retired device stays retired: using it again is a new
//     registration. A new device belongs to the author, unless an active IT
//     admin registers it for someone. A report belongs to the base owner of
//     its device. The review gate computes its subject with the same rule.
//  3. Evidence is append-only. No pull request changes or deletes an
//     existing evidence file; a report cites only evidence added with it or
//     already cited by the base's copy of the same report. The schema's
//     limits are applied before any evidence file is read, and each file is
//     hashed once however often it is cited.
//  4. Judge what the merge does. With a single merge base, the diff from the
//     merge base to the head is exactly what merging changes on the base:
//     every path the head changed takes the head's content, every other
//     path keeps the base's, and a path both sides changed differently is
//     a conflict GitHub refuses to merge (posture merge goes through
//     GitHub's merge API, which does not resolve conflicts). Rename
//     detection cannot carry base edits into a renamed record, because
//     deleting a report, device or person is refused. With two or more
//     merge bases (criss-cross history) Git merges the merge bases first,
//     and no single diff says what the merge does: posture refuses and asks
//     for a rebase. Trees Git itself refuses (gitrepo.TreeError) are
//     findings on the pull request.
//  5. The period of a report is real: from the month its device was
//     registered to the month of the check (the policies report.period_*).
//  6. Flags cannot weaken the check: an empty --author is a usage error.
//  7. Trusted files fail closed: what the base holds but posture cannot
//     read stops the check (loadRules, loadRegistry); it never falls back
//     to built-in policies or skips a record.
type admission struct {
	findings []finding.Finding
	// files are the record files to read at the head.
	files []file
	// data is set for a data change.
	data bool
	// added are the evidence files the pull request adds, by path; a
	// report's citation marks its entry true.
	added map[string]bool
}

// admit applies the allowlist (rule 1) and the append-only rule for
// evidence (rule 3, what the paths alone decide) to the changes of a pull
// request.
func admit(changes []gitrepo.Change) *admission {
	a := &admission{added: map[string]bool{}}
	var loose []string // paths a data change may not carry
	for _, c := range changes {
		k, isRecord, problem := record.Classify(c.Path)
		dataRecord := isRecord && (k == record.Report || k == record.Device)
		a.data = a.data || dataRecord && c.Action != gitrepo.Deleted
		link := c.To.Mode == filemode.Symlink || c.To.Mode == filemode.Submodule
		switch {
		case evidencePath(c.Path):
			switch {
			case c.Action != gitrepo.Added:
				a.findings = append(a.findings, finding.At(c.Path, ruleEvidence, finding.Deny,
					"%s is %s, but evidence is append-only: an accepted report's evidence never changes. Add a new file and cite it instead", c.Path, c.Action))
			case link:
				a.findings = append(a.findings, linkFinding(c.Path))
			case !evidenceName(c.Path):
				a.findings = append(a.findings, finding.At(c.Path, ruleEvidence, finding.Deny,
					"%s is not an evidence file: evidence is a screenshot, a PDF or a text export (%s) with a plain name (letters, digits, '.', '-', '_', not starting with '.'): export it as one of those", c.Path, strings.Join(evidenceTypes, ", ")))
			default:
				a.added[c.Path] = false
			}
			continue
		case c.Action == gitrepo.Deleted:
			if isRecord && k != record.Exception {
				a.findings = append(a.findings, deletion(c.Path, k))
			} else {
				loose = append(loose, c.Path)
			}
			continue
		case link && (isRecord || inRecordDir(c.Path)):
			a.findings = append(a.findings, linkFinding(c.Path))
			continue
		case isRecord:
			a.files = append(a.files, file{path: c.Path, kind: k, problem: problem})
			if !dataRecord && problem == "" {
				loose = append(loose, c.Path)
			}
			continue
		}
		if where := placement(c.Path); where != "" {
			a.findings = append(a.findings, finding.At(c.Path, ruleLocation, finding.Deny, "%s", where))
			continue
		}
		loose = append(loose, c.Path)
	}
	if a.data {
		for _, p := range loose {
			a.findings = append(a.findings, finding.At(p, ruleMixed, finding.Deny,
				"this pull request changes reports or devices, so it may hold only reports/YYYY-MM/<device-id>.yaml, devices/<id>.yaml and the new evidence its reports cite; %s is none of these: move it to a pull request of its own, which IT reviews", p))
		}
	}
	return a
}

// uncited refuses the evidence files a pull request adds that no report of
// it cites (rule 3): evidence rides along only with its report.
func (a *admission) uncited() []finding.Finding {
	var out []finding.Finding
	for p, cited := range a.added {
		if !cited {
			out = append(out, finding.At(p, ruleEvidence, finding.Deny,
				"no report of this pull request cites %s; add evidence together with the report that names it (with its sha256), or remove the file", p))
		}
	}
	return out
}

// evidencePath reports whether p lies under reports/<YYYY-MM>/evidence/.
func evidencePath(p string) bool {
	parts := strings.SplitN(p, "/", 4)
	return len(parts) == 4 && parts[0] == record.ReportsDir && record.ValidPeriod(parts[1]) && parts[2] == "evidence"
}

// evidenceTypes are the file types evidence may have: what a device shows
// (screenshots), prints (PDF) or exports (text). Nothing that a build tool,
// Git or a browser would take for code or configuration.
var evidenceTypes = []string{".png", ".jpg", ".jpeg", ".gif", ".webp", ".heic", ".pdf", ".txt", ".log", ".csv", ".json", ".xml"}

// evidenceName reports whether every name on the evidence path p, below
// reports/<YYYY-MM>/evidence/, is plain, and the file's type is evidence.
func evidenceName(p string) bool {
	parts := strings.Split(p, "/")
	for _, name := range parts[3:] {
		if name == "" || name[0] == '.' || strings.ContainsFunc(name, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_')
		}) {
			return false
		}
	}
	return slices.Contains(evidenceTypes, strings.ToLower(path.Ext(p)))
}

func linkFinding(p string) finding.Finding {
	return finding.At(p, ruleLink, finding.Deny,
		"%s is a symbolic link or submodule; posture never follows links: commit the file itself", p)
}

// placement says where a file that looks like a record, but is not where
// posture reads records, belongs; "" for a file that does not look like one.
func placement(p string) string {
	first, rest, nested := strings.Cut(p, "/")
	for _, dir := range []string{record.PeopleDir, record.DevicesDir, record.ReportsDir, record.ExceptionsDir} {
		d, _, _ := strings.Cut(dir, "/")
		if first != d && strings.EqualFold(first, d) && nested {
			return fmt.Sprintf("posture reads %s/, not %s/ (folder names are case-sensitive): move the file to %s", d, first, path.Join(d, rest))
		}
		if !strings.HasPrefix(p, dir+"/") {
			continue
		}
		name := path.Base(p)
		switch dir {
		case record.ReportsDir:
			period, _, _ := strings.Cut(rest, "/")
			if record.ValidPeriod(period) {
				return fmt.Sprintf("reports/%s/ holds the month's reports and an evidence/ folder; %s is neither: move evidence to reports/%s/evidence/ and cite it from the report, or remove the file", period, p, period)
			}
			return fmt.Sprintf("reports/ holds one folder per month, reports/YYYY-MM/; %s is not in one: move it to reports/YYYY-MM/<device-id>.yaml", p)
		case record.ExceptionsDir:
			return fmt.Sprintf("%s/ holds only exception records, %s/<id>.yaml; %s is not one: remove it", dir, dir, name)
		default:
			return fmt.Sprintf("%s/ holds only records named %s/<id>.yaml; %s is not one: move it there or remove it", dir, dir, p)
		}
	}
	return ""
}

func deletion(p string, k record.Kind) finding.Finding {
	msg := map[record.Kind]string{
		record.Report: "deleting a report is refused: accepted reports are the audit trail. Correct it with a new commit instead",
		record.Device: "deleting a device is refused: a retired device keeps its file. Set status: retired with a retirement date, reason and data_disposition",
		record.Person: "deleting a person is refused: set active: false instead, so that their history stays readable",
	}[k]
	return finding.At(p, ruleDeleted, finding.Deny, "%s", msg)
}

// cite applies rule 3 to the evidence a report of the pull request cites:
// a file the pull request adds is marked cited; a file already on the base
// may be cited only if the base's copy of the same report cites it, so that
// no report borrows the evidence of another.
func (a *admission) cite(baseFS fs.FS, r *record.Record) []finding.Finding {
	var out []finding.Finding
	var before map[string]bool // the base copy's citations, read once
	for _, it := range evidenceItems(r) {
		if _, ok := a.added[it.full]; ok {
			a.added[it.full] = true
			continue
		}
		if !exists(baseFS, it.full) {
			continue // not in the repository at all: the digest check says so
		}
		if before == nil {
			before = map[string]bool{}
			if data, err := fs.ReadFile(baseFS, r.Path); err == nil {
				if prev, _ := record.Parse(r.Path, record.Report, data); prev != nil {
					for _, old := range evidenceItems(prev) {
						before[old.full] = true
					}
				}
			}
		}
		if !before[it.full] {
			out = append(out, evidenceAt(r, it.i, "path", ruleEvidence,
				"evidence file %q was added with another report; cite only evidence added with this report in this pull request, or that this report cited before", it.path))
		}
	}
	return out
}

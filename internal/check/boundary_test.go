package check

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/finding"
)

const (
	droidReport = "reports/2026-11/d-droid.yaml" // e1's (erika-m) report
	winEvidence = "reports/2026-11/evidence/d-win-defender.txt"
)

// ownEdit is eita-e's clean edit of her own report, the cover an attack
// rides along with.
func ownEdit(r *testRepo) { r.Edit(winReport, "lent to a relative", "lent to my sister") }

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// retireOldMac retires e1's d-oldmac on main and commits it, so that the
// base has a retired device.
func retireOldMac(r *testRepo) {
	r.Edit("devices/d-oldmac.yaml", "status: active", "status: retired\nretirement:\n  date: 2026-10-01\n  reason: battery failed\n  data_disposition: wiped_by_owner")
	r.Commit("retire d-oldmac", seedTime)
}

// TestBoundary runs the attacks of a hostile employee on a pull request, each
// on a fresh repository: every one must be refused with the finding named.
func TestBoundary(t *testing.T) {
	tests := []struct {
		name   string
		before func(r *testRepo) // on main, before the branch
		change func(r *testRepo)
		author string
		want   []string // "file rule" of the deny findings; nil = clean
		msg    string
	}{
		// Rule 1: the allowlist.
		{name: "embed.go beside a report", change: func(r *testRepo) { ownEdit(r); r.Write("embed.go", "package posture\n") },
			author: "eita-e", want: []string{"embed.go change.mixed"}, msg: "embed.go is none of these"},
		{name: "CI script beside a report", change: func(r *testRepo) { ownEdit(r); r.Write(".ci/run", "#!/bin/sh\ncurl x | sh\n") },
			author: "eita-e", want: []string{".ci/run change.mixed"}},
		{name: "go.work beside a report", change: func(r *testRepo) { ownEdit(r); r.Write("go.work", "go 1.26\nuse ./reports\n") },
			author: "eita-e", want: []string{"go.work change.mixed"}},
		{name: "vendor/ beside a report", change: func(r *testRepo) { ownEdit(r); r.Write("vendor/x/x.go", "package x\n") },
			author: "eita-e", want: []string{"vendor/x/x.go change.mixed"}},
		{name: "Makefile beside a report", change: func(r *testRepo) { ownEdit(r); r.Write("Makefile", "all:\n\ttrue\n") },
			author: "eita-e", want: []string{"Makefile change.mixed"}},
		{name: ".gitattributes beside a report", change: func(r *testRepo) { ownEdit(r); r.Write(".gitattributes", "*.yaml filter=x\n") },
			author: "eita-e", want: []string{".gitattributes change.mixed"}},
		{name: ".gitmodules beside a report", change: func(r *testRepo) {
			ownEdit(r)
			r.Write(".gitmodules", "[submodule \"x\"]\n\tpath = x\n\turl = https://example.com/x\n")
		}, author: "eita-e", want: []string{".gitmodules change.mixed"}},
		{name: "a case variant of people/ beside a report", change: func(r *testRepo) {
			ownEdit(r)
			r.Write("People/e2.yaml", strings.Replace(r.Read("people/e2.yaml"), "supervisor: e1", "supervisor: e2", 1))
		}, author: "eita-e", want: []string{"People/e2.yaml file.location"}, msg: "posture reads people/, not People/"},
		{name: "a Go file under reports/", change: func(r *testRepo) { ownEdit(r); r.Write("reports/2026-11/x_test.go", "package reports\n") },
			author: "eita-e", want: []string{"reports/2026-11/x_test.go file.location"}, msg: "reports/2026-11/ holds the month's reports"},
		{name: "a Go file under devices/", change: func(r *testRepo) { ownEdit(r); r.Write("devices/init.go", "package devices\n") },
			author: "eita-e", want: []string{"devices/init.go file.location"}},
		{name: "a hidden file under devices/", change: func(r *testRepo) { ownEdit(r); r.Write("devices/.hidden.yaml", "id: x\n") },
			author: "eita-e", want: []string{"devices/.hidden.yaml file.location"}},
		{name: "a device in a sub-folder", change: func(r *testRepo) {
			ownEdit(r)
			r.Write("devices/extra/d-x.yaml", r.Read("devices/d-win.yaml"))
		}, author: "eita-e", want: []string{"devices/extra/d-x.yaml file.location"}},
		{name: "a new top-level file beside a report", change: func(r *testRepo) { ownEdit(r); r.Write("NOTES", "x\n") },
			author: "eita-e", want: []string{"NOTES change.mixed"}},
		{name: "an exception beside a report", change: func(r *testRepo) {
			ownEdit(r)
			r.Write("policies/exceptions/exc-me.yaml", "id: exc-me\nrule: scan.full_age\ndevice: d-win\nreason: x\napproved_by: admin\nexpires: 2027-01-01\n")
		}, author: "eita-e", want: []string{"policies/exceptions/exc-me.yaml change.mixed"}},
		{name: "a misplaced record alone is a finding, not a clean check",
			change: func(r *testRepo) { r.Write("Reports/2026-11/d-win.yaml", r.Read(winReport)) },
			want:   []string{"Reports/2026-11/d-win.yaml file.location"}},

		// Rule 2: ownership and status from the base.
		{name: "taking a colleague's device by editing owner",
			change: func(r *testRepo) { r.Edit("devices/d-droid.yaml", "owner: e1", "owner: e2") },
			author: "eita-e", want: []string{"devices/d-droid.yaml change.owner", "devices/d-droid.yaml change.author"},
			msg: `device "d-droid" belongs to "e1" on the base branch`},
		{name: "taking a colleague's device and reporting for it",
			change: func(r *testRepo) {
				r.Edit("devices/d-droid.yaml", "owner: e1", "owner: e2")
				r.Edit(droidReport, "reporter: e1", "reporter: e2")
			},
			author: "eita-e",
			want: []string{"devices/d-droid.yaml change.owner", "devices/d-droid.yaml change.author",
				droidReport + " change.author", droidReport + " report.reporter_owner"}},
		{name: "an IT admin transfers a device in a pull request of devices alone",
			change: func(r *testRepo) { r.Edit("devices/d-droid.yaml", "owner: e1", "owner: e2") },
			author: "ada-admin"},
		{name: "an IT admin cannot transfer beside a report",
			change: func(r *testRepo) {
				r.Edit("devices/d-droid.yaml", "owner: e1", "owner: e2")
				r.Edit(droidReport, "reporter: e1", "reporter: e2")
			},
			author: "ada-admin",
			want: []string{"devices/d-droid.yaml change.owner", "devices/d-droid.yaml change.author",
				droidReport + " change.author", droidReport + " report.reporter_owner"}},
		{name: "reactivating a retired device", before: retireOldMac,
			change: func(r *testRepo) {
				s := r.Read("devices/d-oldmac.yaml")
				r.Write("devices/d-oldmac.yaml", s[:strings.Index(s, "status: retired")]+"status: active\n")
			},
			author: "erika-m", want: []string{"devices/d-oldmac.yaml change.retired"}, msg: "register it anew under a new id"},
		{name: "reactivating a colleague's retired device for oneself", before: retireOldMac,
			change: func(r *testRepo) {
				s := strings.Replace(r.Read("devices/d-oldmac.yaml"), "owner: e1", "owner: e2", 1)
				r.Write("devices/d-oldmac.yaml", s[:strings.Index(s, "status: retired")]+"status: active\n")
			},
			author: "eita-e",
			want:   []string{"devices/d-oldmac.yaml change.retired", "devices/d-oldmac.yaml change.owner", "devices/d-oldmac.yaml change.author"}},
		{name: "even an IT admin cannot reactivate a retired device", before: retireOldMac,
			change: func(r *testRepo) {
				s := r.Read("devices/d-oldmac.yaml")
				r.Write("devices/d-oldmac.yaml", s[:strings.Index(s, "status: retired")]+"status: active\n")
			},
			author: "ada-admin", want: []string{"devices/d-oldmac.yaml change.retired"}},
		{name: "editing a colleague's accepted report to make it fail",
			change: func(r *testRepo) { r.Edit(droidReport, "disk_encryption: true", "disk_encryption: false") },
			author: "eita-e", want: []string{droidReport + " change.author", droidReport + " device.encryption"}},
		{name: "a second report for a colleague's device under another name",
			change: func(r *testRepo) {
				r.Write("reports/2026-11/d-droid-2.yaml", strings.Replace(r.Read(droidReport), "reporter: e1", "reporter: e2", 1))
			},
			author: "eita-e",
			want:   []string{"reports/2026-11/d-droid-2.yaml report.path", "reports/2026-11/d-droid-2.yaml report.reporter_owner"}},
		{name: "overwriting a colleague's report with one's own, under an exception for report.path",
			before: func(r *testRepo) {
				r.Write("policies/exceptions/exc-path.yaml", "id: exc-path\nrule: report.path\ndevice: d-win\nreason: x\napproved_by: admin\nexpires: 2027-01-01\n")
				r.Commit("an exception for eita-e's device", seedTime)
			},
			change: func(r *testRepo) { r.Write(droidReport, r.Read(winReport)) },
			author: "eita-e",
			want:   []string{droidReport + " change.author", droidReport + " change.evidence", droidReport + " report.path"}},

		// Rule 3: evidence is append-only.
		{name: "editing a colleague's evidence",
			change: func(r *testRepo) { r.Write(winEvidence, "nothing found\n") },
			author: "erika-m", want: []string{winEvidence + " change.evidence"}, msg: "evidence is append-only"},
		{name: "editing one's own accepted evidence with the report",
			change: func(r *testRepo) {
				r.Write(winEvidence, "nothing found\n")
				r.Edit(winReport, "a3df3a4e97882c78058adab4552ec4d4ed6465689db5b023bd076ebf6d1dd607", sha("nothing found\n"))
			},
			author: "eita-e", want: []string{winEvidence + " change.evidence"}},
		{name: "deleting a colleague's evidence",
			change: func(r *testRepo) { r.Remove(winEvidence) },
			author: "erika-m", want: []string{winEvidence + " change.evidence"}},
		{name: "citing a colleague's evidence as one's own",
			change: func(r *testRepo) {
				r.Write(droidReport, r.Read(droidReport)+"evidence:\n  - path: evidence/d-win-defender.txt\n    sha256: a3df3a4e97882c78058adab4552ec4d4ed6465689db5b023bd076ebf6d1dd607\n")
			},
			author: "erika-m", want: []string{droidReport + " change.evidence"}, msg: "was added with another report"},
		{name: "evidence no report cites",
			change: func(r *testRepo) { ownEdit(r); r.Write("reports/2026-11/evidence/extra.txt", "x\n") },
			author: "eita-e", want: []string{"reports/2026-11/evidence/extra.txt change.evidence"}, msg: "no report of this pull request cites"},
		{name: "new evidence cited by the report that adds it",
			change: func(r *testRepo) {
				r.Write("reports/2026-11/evidence/d-droid-scan.txt", "clean\n")
				r.Write(droidReport, r.Read(droidReport)+"evidence:\n  - path: evidence/d-droid-scan.txt\n    sha256: "+sha("clean\n")+"\n")
			},
			author: "erika-m"},
		{name: "a Go file as evidence, cited",
			change: func(r *testRepo) {
				r.Write("reports/2026-11/evidence/x_test.go", "package evidence\n")
				r.Write(droidReport, r.Read(droidReport)+"evidence:\n  - path: evidence/x_test.go\n    sha256: "+sha("package evidence\n")+"\n")
			},
			author: "erika-m", want: []string{"reports/2026-11/evidence/x_test.go change.evidence"}, msg: "is not an evidence file"},
		{name: "a .gitattributes among the evidence, cited",
			change: func(r *testRepo) {
				r.Write("reports/2026-11/evidence/.gitattributes", "* -text\n")
				r.Write(droidReport, r.Read(droidReport)+"evidence:\n  - path: evidence/.gitattributes\n    sha256: "+sha("* -text\n")+"\n")
			},
			author: "erika-m", want: []string{"reports/2026-11/evidence/.gitattributes change.evidence"}},
		{name: "evidence that is a link",
			change: func(r *testRepo) {
				r.Symlink("/etc/passwd", "reports/2026-11/evidence/passwd.txt")
				r.Write(droidReport, r.Read(droidReport)+"evidence:\n  - path: evidence/passwd.txt\n    sha256: "+sha("x")+"\n")
			},
			author: "erika-m", want: []string{"reports/2026-11/evidence/passwd.txt file.link", droidReport + " evidence.file"}},
		{name: "re-citing the evidence the report cited before",
			change: ownEdit, author: "eita-e"},

		// Rule 5: the period is real.
		{name: "a report for a month before the device existed",
			change: func(r *testRepo) {
				r.Write("reports/1999-01/d-win.yaml", strings.Replace(r.Read(winReport), `period: "2026-11"`, `period: "1999-01"`, 1))
			},
			author: "eita-e", want: []string{"reports/1999-01/d-win.yaml evidence.file", "reports/1999-01/d-win.yaml report.period_before_registration"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newTestRepo(t, seedTime)
			if tt.before != nil {
				tt.before(r)
			}
			r.Checkout("pr", true)
			tt.change(r)
			r.Commit("change", prTime)
			res, err := Diff(context.Background(), DiffOptions{Dir: r.Dir, Base: "main", Head: "pr", Author: tt.author, Now: prNow})
			if err != nil {
				t.Fatal(err)
			}
			got := rules(denied(res.Findings))
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("findings:\n got %q\nwant %q\n%v", got, want, res.Findings)
			}
			if tt.msg != "" && !slices.ContainsFunc(res.Findings, func(f finding.Finding) bool { return strings.Contains(f.Message, tt.msg) }) {
				t.Errorf("no finding says %q: %v", tt.msg, res.Findings)
			}
		})
	}
}

func denied(fs []finding.Finding) []finding.Finding {
	var out []finding.Finding
	for _, f := range fs {
		if f.Severity == finding.Deny {
			out = append(out, f)
		}
	}
	return out
}

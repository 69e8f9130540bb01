package issueform

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/issuelink"
	"github.com/posture-dev/posture/internal/record"
)

// exceptionContext is the demo registry with its exception, as the base
// of an exception request from issue 42.
func exceptionContext(t *testing.T) Context {
	c := registry(t)
	c.Issue = 42
	data, err := os.ReadFile("../../testdata/demo/policies/exceptions/exc-2026-001.yaml")
	if err != nil {
		t.Fatal(err)
	}
	x, fs := record.Parse("policies/exceptions/exc-2026-001.yaml", record.Exception, data)
	if x == nil {
		t.Fatal(fs)
	}
	c.Exceptions = []*record.Record{x}
	c.Rules = []string{"os.supported", "scan.full_age", "device.screen_lock"}
	return c
}

func TestExceptionTemplateFields(t *testing.T) {
	tpl := loadTemplate(t, Exception)
	var ids []string
	for _, f := range tpl.Fields {
		ids = append(ids, f.ID)
	}
	// Every question fills the exception field of its id; approved_by is
	// not asked: IT writes it in review.
	if want := []string{"rule", "device", "reason", "expires", "confirm"}; !slices.Equal(ids, want) {
		t.Errorf("questions %v, want %v", ids, want)
	}
	if k, ok := KindOf([]string{"bug", "form/request-exception"}); !ok || k != Exception {
		t.Errorf("KindOf = %q, %v", k, ok)
	}
}

func TestBuildException(t *testing.T) {
	tpl := loadTemplate(t, Exception)
	a, probs := tpl.Parse(readBody(t, "exception-ok.md"))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	rec, probs, err := Build(tpl, a, exceptionContext(t))
	if err != nil || len(probs) > 0 {
		t.Fatalf("build: %v %v", err, probs)
	}
	if rec.Path != "policies/exceptions/exc-d-e1004-laptop-scan-full-age.yaml" || rec.Kind != record.Exception ||
		rec.Subject != "d-e1004-laptop" || rec.Rule != "scan.full_age" {
		t.Errorf("record %s %s %s %s", rec.Path, rec.Kind, rec.Subject, rec.Rule)
	}
	golden := filepath.Join("testdata", "exception-ok.yaml")
	if *update {
		os.WriteFile(golden, rec.Content, 0o644)
	}
	want, _ := os.ReadFile(golden)
	if string(rec.Content) != string(want) {
		t.Errorf("content:\n%s\nwant:\n%s", rec.Content, want)
	}
	parsed, fs := record.Parse(rec.Path, rec.Kind, rec.Content)
	if parsed == nil || len(fs) > 0 {
		t.Fatalf("the record does not parse: %v", fs)
	}
	if parsed.String("expires") != "2026-12-15" || parsed.String("id") != "exc-d-e1004-laptop-scan-full-age" ||
		!strings.Contains(parsed.String("reason"), "\nMeanwhile") || parsed.Data["approved_by"] != nil {
		t.Errorf("fields %v", parsed.Data)
	}

	// A request for the rule an exception of the base covers renews it.
	renew := strings.NewReplacer("scan.full_age", "os.supported", "d-e1004-laptop", "d-e1005-laptop").Replace(readBody(t, "exception-ok.md"))
	a, _ = tpl.Parse(renew)
	c := exceptionContext(t)
	c.Person = "e1005"
	rec, probs, err = Build(tpl, a, c)
	if err != nil || len(probs) > 0 {
		t.Fatalf("renewal: %v %v", err, probs)
	}
	if rec.Path != "policies/exceptions/exc-2026-001.yaml" || !strings.Contains(string(rec.Content), "id: exc-2026-001\n") {
		t.Errorf("renewal writes %s:\n%s", rec.Path, rec.Content)
	}
}

func TestExceptionIDs(t *testing.T) {
	c := exceptionContext(t)
	long := strings.Repeat("x", 50)
	for _, tt := range []struct {
		name, dev, rule string
		files           []string // on the base
		want            string
	}{
		{"new", "d-e1004-laptop", "device.screen_lock", nil, "exc-d-e1004-laptop-device-screen-lock"},
		{"too long", "d-" + long, "device.screen_lock", nil, "exc-2026-issue-42"},
		{"taken", "d-e1004-laptop", "device.screen_lock", []string{"policies/exceptions/exc-d-e1004-laptop-device-screen-lock.yaml"}, "exc-2026-issue-42"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c.ReadFile = func(p string) ([]byte, error) {
				if slices.Contains(tt.files, p) {
					return []byte("id: x\n"), nil
				}
				return nil, os.ErrNotExist
			}
			id, file, err := exceptionID(c, tt.dev, tt.rule)
			if err != nil || id != tt.want || file != "policies/exceptions/"+tt.want+".yaml" {
				t.Errorf("%s %s %v, want %s", id, file, err, tt.want)
			}
		})
	}
	c.ReadFile = func(string) ([]byte, error) { return []byte("id: x\n"), nil }
	if _, _, err := exceptionID(c, "d-e1004-laptop", "device.screen_lock"); err == nil || !strings.Contains(err.Error(), "exists on the base already") {
		t.Errorf("every id taken: %v", err)
	}
}

func TestBuildExceptionProblems(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(string) string
		field string
		want  string
	}{
		{"someone else's device", func(s string) string { return strings.Replace(s, "d-e1004-laptop", "d-e1001-laptop", 1) }, "device", "belongs to e1001, not to you (e1004)"},
		{"unknown device", func(s string) string { return strings.Replace(s, "d-e1004-laptop", "d-nope", 1) }, "device", `no device "d-nope" is registered`},
		{"bad device", func(s string) string { return strings.Replace(s, "d-e1004-laptop", "My Laptop", 1) }, "device", `"My Laptop" is not a device id`},
		{"unknown rule", func(s string) string { return strings.Replace(s, "scan.full_age", "scan.fullage", 1) }, "rule", `"scan.fullage" is not a rule of the policies`},
		{"blank rule", func(s string) string { return strings.Replace(s, "scan.full_age", "_No response_", 1) }, "rule", "the answer is blank"},
		{"unticked", func(s string) string { return strings.Replace(s, "[X]", "[ ]", 1) }, "confirm", "tick"},
		{"past", func(s string) string { return strings.Replace(s, "2026-12-15", "2026-11-19", 1) }, "expires", "2026-11-19 is before today (2026-11-20)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tpl := loadTemplate(t, Exception)
			a, probs := tpl.Parse(tc.edit(readBody(t, "exception-ok.md")))
			if len(probs) > 0 {
				t.Fatalf("parse: %v", probs)
			}
			rec, probs, err := Build(tpl, a, exceptionContext(t))
			if err != nil || rec != nil || len(probs) != 1 || probs[0].Field != tc.field || !strings.Contains(probs[0].Message, tc.want) {
				t.Errorf("got %v, %v, %v; want one problem with %s saying %q", rec, probs, err, tc.field, tc.want)
			}
		})
	}
}

func TestSubmitException(t *testing.T) {
	e := newEnv(t)
	n := e.issue(yuki, Exception, readBody(t, "exception-ok.md"))
	got := e.submit(t, n)
	if got.PullRequest == 0 || len(got.Problems) > 0 {
		t.Fatalf("%+v %+v", got, e.srv.Comments(n))
	}
	pr, _ := e.srv.Pull(got.PullRequest)
	path := "policies/exceptions/exc-d-e1004-laptop-scan-full-age.yaml"
	if pr.Head != issuelink.Branch(n) || pr.Title != "Exception for scan.full_age on d-e1004-laptop from #1" {
		t.Errorf("pull request %q from %s", pr.Title, pr.Head)
	}
	for _, s := range []string{issuelink.Marker(n), "**Requested by:** @" + yuki + " (`e1004`)", "**File:** `" + path + "`",
		"CODEOWNERS asks IT to review `policies/`", "`approved_by: <your person id>`"} {
		if !strings.Contains(pr.Body, s) {
			t.Errorf("the pull request's body lacks %q:\n%s", s, pr.Body)
		}
	}
	if strings.Contains(pr.Body, "exception.approver") || strings.Contains(pr.Body, "subject whose approval does not count") {
		t.Errorf("the body treats it as a report, or lists the approval as the requester's problem:\n%s", pr.Body)
	}
	file, ok := e.srv.File(issuelink.Branch(n), path)
	want, _ := os.ReadFile("testdata/exception-ok.yaml")
	if !ok || string(file) != string(want) {
		t.Errorf("file on the branch:\n%s", file)
	}

	// The pull request's own check fails on approved_by until IT writes it,
	// and passes once it names the active IT admin e1010.
	check := func(content string) []string {
		fs, err := e.opts.Judge.Check(context.Background(), Overlay(e.opts.Base, path, []byte(content)), []string{path},
			func(string) string { return "2026-11-20" })
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, f := range fs {
			if f.Severity == finding.Deny {
				out = append(out, f.Rule)
			}
		}
		return out
	}
	if denied := check(string(file)); !slices.Contains(denied, "schema.required") && !slices.Contains(denied, "exception.approver") {
		t.Errorf("unapproved, the check denies %v", denied)
	}
	approved := strings.Replace(string(file), approvalTODO, "approved_by: e1010\n", 1)
	if denied := check(approved); len(denied) > 0 {
		t.Errorf("approved by e1010, the check denies %v:\n%s", denied, approved)
	}
	if denied := check(strings.Replace(approved, "e1010", "e1004", 1)); !slices.Contains(denied, "exception.approver") {
		t.Errorf("approved by the requester, the check denies %v", denied)
	}
}

func TestSubmitExceptionProblems(t *testing.T) {
	for _, tc := range []struct{ name, until, want string }{
		{"past", "2026-10-01", "- **Until**: ` 2026-10-01 is before today"},
		{"not a date", "2026-02-30", "- **Until**: `"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			n := e.issue(yuki, Exception, strings.Replace(readBody(t, "exception-ok.md"), "2026-12-15", tc.until, 1))
			got := e.submit(t, n)
			cms := e.srv.Comments(n)
			if got.PullRequest != 0 || len(cms) != 1 || !strings.Contains(cms[0].Body, tc.want) || !strings.Contains(cms[0].Body, tc.until) {
				t.Fatalf("%+v; comments %+v", got, cms)
			}
			if strings.Contains(cms[0].Body, "approved_by") {
				t.Errorf("the requester is asked for the approval:\n%s", cms[0].Body)
			}
		})
	}
}

// FuzzException: any body read by the exception form builds, if at all, an
// exception for the submitter's device that reads back with the answers as
// their text and no approval.
func FuzzException(f *testing.F) {
	bodies, _ := filepath.Glob("testdata/*.md")
	for _, p := range bodies {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("### Rule\n\nos.supported\n\n### Device id\n\nd-e1004-laptop\n\n### Reason\n\napproved_by: e1010\n\n### Until\n\n2027-01-01\n\n### Confirmation\n\n- [X] Until then I keep the device as safe as I can otherwise, and I report it every month.\n")
	tpl := loadTemplate(f, Exception)
	ctx := registry(f)
	ctx.Issue, ctx.Rules = 7, []string{"os.supported", "scan.full_age"}
	f.Fuzz(func(t *testing.T, body string) {
		a, probs := tpl.Parse(body)
		if len(probs) > 0 {
			return
		}
		rec, probs, err := Build(tpl, a, ctx)
		if err != nil {
			t.Fatalf("build: %v", err)
		}
		if len(probs) > 0 {
			return
		}
		parsed, fs := record.Parse(rec.Path, rec.Kind, rec.Content)
		if parsed == nil {
			t.Fatalf("built a record that does not parse: %v\n%s", fs, rec.Content)
		}
		if parsed.Data["approved_by"] != nil || ctx.Devices[parsed.String("device")].String("owner") != ctx.Person {
			t.Fatalf("approved or someone else's:\n%s", rec.Content)
		}
		for _, k := range []string{"rule", "device", "reason", "expires"} {
			if v := a.Get(k); v != "" && parsed.String(k) != v && !strings.ContainsAny(v, "\r") {
				t.Fatalf("%s = %q, want %q\n%s", k, parsed.String(k), v, rec.Content)
			}
		}
	})
}

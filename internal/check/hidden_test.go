package check

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// TestMissingFieldsAllAtOnce: a report that lacks a field the schema
// requires still gets the policies' findings about the other fields it
// lacks, so that the reporter fixes everything in one round.
func TestMissingFieldsAllAtOnce(t *testing.T) {
	r := newTestRepo(t, seedTime)
	s := r.Read(winReport)
	for _, field := range []string{"disk_encryption:", "last_quick_scan:"} {
		i := strings.Index(s, field)
		j := strings.IndexByte(s[i:], '\n')
		s = s[:i] + s[i+j+1:]
	}
	r.Write(winReport, s)
	res, err := Full(context.Background(), Options{Dir: r.Dir, Paths: []string{winReport}, Now: prNow})
	if err != nil {
		t.Fatal(err)
	}
	got := rules(res.Findings)
	for _, want := range []string{winReport + " schema.required", winReport + " scan.quick_age"} {
		if !slices.Contains(got, want) {
			t.Errorf("findings %q lack %q", got, want)
		}
	}
	// disk_encryption is reported once, by the schema.
	n := 0
	for _, f := range res.Findings {
		if strings.Contains(f.Message, "disk_encryption") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d findings mention disk_encryption, want 1: %v", n, res.Findings)
	}
}

// TestWrongTypeReportedOnce: an unquoted os_version: 10.0 is the schema's
// to report (quote it); the policies do not add a finding about "10".
func TestWrongTypeReportedOnce(t *testing.T) {
	r := newTestRepo(t, seedTime)
	s := r.Read(winReport)
	i := strings.Index(s, "os_version:")
	j := strings.IndexByte(s[i:], '\n')
	r.Write(winReport, s[:i]+"os_version: 10.0"+s[i+j:])
	res, err := Full(context.Background(), Options{Dir: r.Dir, Paths: []string{winReport}, Now: prNow})
	if err != nil {
		t.Fatal(err)
	}
	if got := rules(res.Findings); !slices.Equal(got, []string{winReport + " schema.type"}) {
		t.Errorf("findings %q, want only the schema's: %v", got, res.Findings)
	}
}

package evidence

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func sample() Evidence {
	at := time.Date(2026, 11, 5, 1, 2, 3, 0, time.UTC)
	return Evidence{
		PullRequest: 42,
		Reports:     []string{"reports/2026-11/d-e1004-laptop.yaml", "reports/2026-11/d-e1004-tablet.yaml"},
		Subject:     Person{ID: "e1004", Login: "yuki-n"},
		Author:      "posture-bot[bot]",
		Approvals: []Approval{
			{Role: RoleSupervisor, Approver: Person{ID: "e1002", Login: "kenji-w"}, ReviewID: 901, At: at, Commit: "0123456789abcdef0123456789abcdef01234567"},
			{Role: RoleContractor, Approver: Person{ID: "c2001", Login: "h-kondo"}, ReviewID: 902, At: at.Add(time.Hour), Commit: "0123456789abcdef0123456789abcdef01234567"},
		},
		Version:    "v0.1.0",
		Revision:   "8495bfc203c9987daab8609acdb54b93b7752176",
		Modified:   true,
		PolicyBase: "fedcba9876543210fedcba9876543210fedcba98",
	}
}

func TestRoundTrip(t *testing.T) {
	e := sample()
	msg := e.Message("Accept reports/2026-11 of e1004 (#42)", "Merged by posture.")
	got, found, err := Parse(msg)
	if err != nil || !found {
		t.Fatalf("Parse: found=%v err=%v\n%s", found, err, msg)
	}
	if !reflect.DeepEqual(got, e) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, e)
	}
	if !strings.Contains(msg, "\n\nPosture-Pull-Request: 42\n") {
		t.Errorf("trailers are not the last paragraph:\n%s", msg)
	}
	if !strings.Contains(msg, "\nPosture-Subject: e1004 @yuki-n\nPosture-Author: @posture-bot[bot]\n") {
		t.Errorf("subject and author:\n%s", msg)
	}
	if !strings.Contains(msg, "\nPosture-Version: v0.1.0\nPosture-Revision: 8495bfc203c9987daab8609acdb54b93b7752176 modified\n") {
		t.Errorf("version and revision:\n%s", msg)
	}
}

func TestRevision(t *testing.T) {
	const rev = "8495bfc203c9987daab8609acdb54b93b7752176"
	head := "T\n\nPosture-Pull-Request: 3\nPosture-Version: "
	tests := []struct {
		name, msg string
		version   string
		revision  string
		modified  bool
		err       string
	}{
		{name: "a merge from before the revision trailer", msg: head + "dev\n", version: "dev"},
		{name: "a merge with no version at all", msg: "T\n\nPosture-Pull-Request: 3\n"},
		{name: "clean build", msg: head + "(devel)\nPosture-Revision: " + rev + "\n", version: "(devel)", revision: rev},
		{name: "modified build", msg: head + "v0.0.0-20261123012238-8495bfc203c9+dirty\nPosture-Revision: " + rev + " modified\n",
			version: "v0.0.0-20261123012238-8495bfc203c9+dirty", revision: rev, modified: true},
		{name: "not hexadecimal", msg: head + "v1\nPosture-Revision: main\n", err: "not a hexadecimal commit id"},
		{name: "unknown word", msg: head + "v1\nPosture-Revision: " + rev + " dirty\n", err: "modified"},
		{name: "empty", msg: head + "v1\nPosture-Revision: \nPosture-Policy-Base: " + rev + "\n", err: "<commit>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, found, err := Parse(tt.msg)
			if !found || (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("found %v, err = %v, want %q", found, err, tt.err)
			}
			if err == nil && (e.Version != tt.version || e.Revision != tt.revision || e.Modified != tt.modified) {
				t.Errorf("version %q revision %q modified %v, want %q %q %v", e.Version, e.Revision, e.Modified, tt.version, tt.revision, tt.modified)
			}
		})
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, msg string
		found     bool
		err       string
	}{
		{name: "plain commit", msg: "Fix typo\n\nSigned-off-by: A <a@x>\n"},
		{name: "trailers only in an earlier paragraph", msg: "T\n\nPosture-Pull-Request: 1\n\nSigned-off-by: A <a@x>\n"},
		{name: "bad number", msg: "T\n\nPosture-Pull-Request: x\n", found: true, err: "not a number"},
		{name: "bad approval", msg: "T\n\nPosture-Approval: boss e1 @a review=1 at=2026-01-01T00:00:00Z commit=abc\n", found: true, err: "unknown role"},
		{name: "bad time", msg: "T\n\nPosture-Approval: supervisor e1 @a review=1 at=yesterday commit=abc\n", found: true, err: "not RFC 3339"},
		{name: "bad subject", msg: "T\n\nPosture-Subject: e1\n", found: true, err: "is not"},
		{name: "a merge from before the author trailer", msg: "T\n\nPosture-Subject: e1 @a\n", found: true},
		{name: "author without @", msg: "T\n\nPosture-Author: yuki-n\n", found: true, err: `want "@<login>"`},
		{name: "author with a space", msg: "T\n\nPosture-Author: @yuki n\n", found: true, err: `want "@<login>"`},
		{name: "crlf", msg: "T\r\n\r\nPosture-Pull-Request: 7\r\n", found: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, found, err := Parse(tt.msg)
			if found != tt.found {
				t.Errorf("found = %v, want %v", found, tt.found)
			}
			if (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
				t.Errorf("err = %v, want %q", err, tt.err)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add(sample().Message("t", "b"))
	f.Add("T\n\nPosture-Approval: supervisor e1 @a review=1 at=2026-01-01T00:00:00Z commit=abc\n")
	f.Fuzz(func(t *testing.T, msg string) {
		e, found, err := Parse(msg)
		if err != nil || !found {
			return
		}
		// What parses cleanly formats back to trailers that parse the same.
		again, _, err := Parse("t\n\n" + e.Trailers())
		if err != nil {
			t.Fatalf("reparse: %v", err)
		}
		if again.PullRequest != e.PullRequest || again.Author != e.Author || len(again.Approvals) != len(e.Approvals) ||
			again.Revision != e.Revision || again.Modified != e.Modified {
			t.Fatalf("reparse differs: %+v vs %+v", again, e)
		}
	})
}

// TestParseLines reads the trailers of messages whose lines end oddly: a
// carriage return before the newline is dropped, as bufio.ScanLines drops
// it, and a line of 64 KiB or more does not hide the trailers after it.
func TestParseLines(t *testing.T) {
	for _, n := range []int{65535, 65536, 70000} {
		msg := "Title\n\nPosture-Pull-Request: 7\nX-Long: " + strings.Repeat("a", n) + "\nPosture-Report: reports/2026-01/d1.yaml\n"
		e, found, err := Parse(msg)
		if err != nil || !found || e.PullRequest != 7 || len(e.Reports) != 1 {
			t.Errorf("a line of %d bytes: %+v %v %v", n, e, found, err)
		}
	}
	for msg, pull := range map[string]int{
		"T\n\nPosture-Pull-Request: 7\r\r\n":                         7,
		"T\n\nPosture-Pull-Request: 7\r":                             7,
		"T\r\n\r\nPosture-Pull-Request: 8\r\nPosture-Version: x\r\n": 8,
	} {
		if e, found, err := Parse(msg); err != nil || !found || e.PullRequest != pull {
			t.Errorf("%q: %+v %v %v, want pull request %d", msg, e, found, err, pull)
		}
	}
}

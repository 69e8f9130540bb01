// Package evidence is the one definition of the trailers that posture's
// merge writes into a merge commit and that the audit reads back: which
// reports were accepted, whose they are, and who approved them on which
// commit. Reviews live in GitHub's database; these trailers put their
// evidence into the Git history that auditors clone.
package evidence

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Trailer keys.
const (
	KeyPullRequest = "Posture-Pull-Request"
	KeyReport      = "Posture-Report"
	KeySubject     = "Posture-Subject"
	KeyAuthor      = "Posture-Author"
	KeyApproval    = "Posture-Approval"
	KeyVersion     = "Posture-Version"
	KeyRevision    = "Posture-Revision"
	KeyPolicyBase  = "Posture-Policy-Base"
)

// Roles of an approver.
const (
	RoleSupervisor = "supervisor"
	RoleContractor = "contractor"
)

// Person names someone by record id and GitHub login.
type Person struct {
	ID    string
	Login string
}

func (p Person) String() string { return p.ID + " @" + p.Login }

// Approval is one review that counted towards the gate.
type Approval struct {
	Role     string // RoleSupervisor or RoleContractor
	Approver Person
	ReviewID int64
	At       time.Time
	Commit   string // the head commit the review approved
}

// Evidence is what a merge commit records.
type Evidence struct {
	PullRequest int
	Reports     []string // paths of the records accepted
	Subject     Person   // whose reports they are
	// Author is the GitHub login of the pull request's author, as GitHub
	// reported it: the gate never counts their approval, and escalates
	// the Security Check past a supervisor who opened the pull request.
	// Merges made before posture wrote it have none.
	Author    string
	Approvals []Approval
	Version   string // posture's version
	// Revision is the commit posture was built from, when the build
	// recorded it; Modified, that it was built with uncommitted changes.
	// Merges made before posture wrote them have neither.
	Revision   string
	Modified   bool
	PolicyBase string // the base commit whose policies judged the change
}

// Trailers formats e as a block of Git trailers, one per line.
func (e Evidence) Trailers() string {
	var b strings.Builder
	line := func(k, v string) { fmt.Fprintf(&b, "%s: %s\n", k, v) }
	if e.PullRequest != 0 {
		line(KeyPullRequest, strconv.Itoa(e.PullRequest))
	}
	for _, r := range e.Reports {
		line(KeyReport, r)
	}
	if e.Subject != (Person{}) {
		line(KeySubject, e.Subject.String())
	}
	if e.Author != "" {
		line(KeyAuthor, "@"+e.Author)
	}
	for _, a := range e.Approvals {
		line(KeyApproval, fmt.Sprintf("%s %s review=%d at=%s commit=%s",
			a.Role, a.Approver, a.ReviewID, a.At.UTC().Format(time.RFC3339), a.Commit))
	}
	if e.Version != "" {
		line(KeyVersion, e.Version)
	}
	if e.Revision != "" {
		rev := e.Revision
		if e.Modified {
			rev += " " + modified
		}
		line(KeyRevision, rev)
	}
	if e.PolicyBase != "" {
		line(KeyPolicyBase, e.PolicyBase)
	}
	return b.String()
}

// Message returns a commit message: title, a blank line, body (if any), a
// blank line and the trailers.
func (e Evidence) Message(title, body string) string {
	msg := strings.TrimSpace(title) + "\n\n"
	if body = strings.TrimSpace(body); body != "" {
		msg += body + "\n\n"
	}
	return msg + e.Trailers()
}

// Parse reads the evidence trailers from a commit message. found is false
// when the message carries none. A message with posture trailers that are
// malformed returns an error saying which line.
func Parse(message string) (e Evidence, found bool, err error) {
	for line := range strings.Lines(trailerBlock(message)) {
		line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		key, val, ok := strings.Cut(line, ": ")
		if !ok || !strings.HasPrefix(key, "Posture-") {
			continue
		}
		found = true
		val = strings.TrimSpace(val)
		switch key {
		case KeyPullRequest:
			if e.PullRequest, err = strconv.Atoi(val); err != nil {
				return e, true, fmt.Errorf("parse %s %q: not a number", key, val)
			}
		case KeyReport:
			e.Reports = append(e.Reports, val)
		case KeySubject:
			if e.Subject, err = parsePerson(val); err != nil {
				return e, true, fmt.Errorf("parse %s: %w", key, err)
			}
		case KeyAuthor:
			login, ok := strings.CutPrefix(val, "@")
			if !ok || login == "" || strings.ContainsAny(login, " \t@") {
				return e, true, fmt.Errorf("parse %s %q: want \"@<login>\"", key, val)
			}
			e.Author = login
		case KeyApproval:
			a, err := parseApproval(val)
			if err != nil {
				return e, true, fmt.Errorf("parse %s %q: %w", key, val, err)
			}
			e.Approvals = append(e.Approvals, a)
		case KeyVersion:
			e.Version = val
		case KeyRevision:
			if e.Revision, e.Modified, err = parseRevision(val); err != nil {
				return e, true, fmt.Errorf("parse %s %q: %w", key, val, err)
			}
		case KeyPolicyBase:
			e.PolicyBase = val
		}
	}
	return e, found, nil
}

// trailerBlock returns the last paragraph of a message.
func trailerBlock(msg string) string {
	msg = strings.TrimRight(strings.ReplaceAll(msg, "\r\n", "\n"), "\n ")
	if i := strings.LastIndex(msg, "\n\n"); i >= 0 {
		return msg[i+2:]
	}
	return msg
}

// modified follows the revision of a posture built with uncommitted changes.
const modified = "modified"

// parseRevision reads "<commit>" or "<commit> modified".
func parseRevision(s string) (rev string, mod bool, err error) {
	f := strings.Fields(s)
	if len(f) == 0 || len(f) > 2 || len(f) == 2 && f[1] != modified {
		return "", false, fmt.Errorf("want \"<commit>\" or \"<commit> %s\"", modified)
	}
	if len(f[0]) < 7 || len(f[0]) > 64 || strings.Trim(f[0], "0123456789abcdef") != "" {
		return "", false, fmt.Errorf("commit %q is not a hexadecimal commit id", f[0])
	}
	return f[0], len(f) == 2, nil
}

func parsePerson(s string) (Person, error) {
	id, login, ok := strings.Cut(s, " @")
	if !ok || id == "" || login == "" || strings.ContainsAny(login, " \t") || strings.ContainsAny(id, " \t") {
		return Person{}, fmt.Errorf("%q is not \"<id> @<login>\"", s)
	}
	return Person{ID: id, Login: login}, nil
}

func parseApproval(s string) (Approval, error) {
	f := strings.Fields(s)
	if len(f) != 6 {
		return Approval{}, fmt.Errorf("want \"<role> <id> @<login> review=N at=TIME commit=SHA\"")
	}
	a := Approval{Role: f[0]}
	if !slices.Contains([]string{RoleSupervisor, RoleContractor}, a.Role) {
		return a, fmt.Errorf("unknown role %q", a.Role)
	}
	var err error
	if a.Approver, err = parsePerson(f[1] + " " + f[2]); err != nil {
		return a, err
	}
	kv := map[string]string{}
	for _, x := range f[3:] {
		k, v, ok := strings.Cut(x, "=")
		if !ok {
			return a, fmt.Errorf("%q is not key=value", x)
		}
		kv[k] = v
	}
	if a.ReviewID, err = strconv.ParseInt(kv["review"], 10, 64); err != nil {
		return a, fmt.Errorf("review id %q is not a number", kv["review"])
	}
	if a.At, err = time.Parse(time.RFC3339, kv["at"]); err != nil {
		return a, fmt.Errorf("time %q is not RFC 3339", kv["at"])
	}
	if a.Commit = kv["commit"]; a.Commit == "" {
		return a, fmt.Errorf("no commit")
	}
	return a, nil
}

// Package audit reads a posture repository's Git history as an audit trail:
// for each period and each device that was active in it, the report, the
// commit that added it, the merge that accepted it with its evidence
// trailers, and the result of re-checking it with the rules of that merge;
// and the integrity findings an auditor follows up, each with the commit to
// look at. It reads only the clone, never GitHub.
package audit

import "time"

// Audit is the result of Run. Its JSON form is the documented, stable
// output of posture audit --format json.
type Audit struct {
	Scope      Scope       `json:"scope"`
	Periods    []Period    `json:"periods"`
	Exceptions []Exception `json:"exceptions"`
	Findings   []Finding   `json:"findings"`
	Evidence   []Row       `json:"evidence"`
}

// Scope says what was audited.
type Scope struct {
	Organization  string    `json:"organization"`
	Timezone      string    `json:"timezone"`
	Branch        string    `json:"branch"`
	Head          string    `json:"head"`
	HeadTime      time.Time `json:"head_time"`
	From          string    `json:"from"`
	To            string    `json:"to"`
	Commits       int       `json:"commits"`
	Merges        int       `json:"evidence_merges"`
	Unsigned      int       `json:"unsigned_commits"`
	RequireSigned bool      `json:"require_signed"`
	Version       string    `json:"version"`
}

// Period is the population of one period and how it was accounted for.
type Period struct {
	Period string `json:"period"`
	Due    string `json:"due"`
	// Registry is the commit whose people and devices define the
	// population: the last commit before the period ended.
	Registry   string `json:"registry_commit"`
	Devices    int    `json:"devices"`
	Accepted   int    `json:"accepted"`
	Changed    int    `json:"changed"`
	Unaccepted int    `json:"unaccepted"`
	Deleted    int    `json:"deleted"`
	Excepted   int    `json:"excepted"`
	Missing    int    `json:"missing"`
	NotDue     int    `json:"not_due"`
	Late       int    `json:"late"`
	Failing    int    `json:"failing"`
}

// Exception is an exception in force on a period's due day.
type Exception struct {
	Period     string `json:"period"`
	ID         string `json:"id"`
	Device     string `json:"device"`
	Rule       string `json:"rule"`
	ApprovedBy string `json:"approved_by"`
	Expires    string `json:"expires"`
}

// Severity of an integrity finding.
const (
	Error   = "error"
	Warning = "warning"
)

// Finding is an integrity finding with the commit to look at.
type Finding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Period   string `json:"period"`
	Path     string `json:"path"`
	Commit   string `json:"commit"`
	Message  string `json:"message"`
}

// Row statuses.
const (
	Accepted   = "accepted"   // accepted by an evidence merge and unchanged since
	Changed    = "changed"    // accepted, then changed without new evidence
	Unaccepted = "unaccepted" // on the branch without an evidence merge
	Deleted    = "deleted"    // was on the branch, is no longer
	Excepted   = "excepted"   // no report; an exception is in force
	Missing    = "missing"    // no report and no exception, and the due day has ended
	NotDue     = "not_due"    // no report yet, and the due day has not ended
)

// Row is one line of the evidence table: a device in a period.
type Row struct {
	Period       string   `json:"period"`
	Device       string   `json:"device"`
	Owner        string   `json:"owner"`
	Department   string   `json:"department"`
	InPopulation bool     `json:"in_population"`
	Path         string   `json:"path"`
	Status       string   `json:"status"`
	Added        *Commit  `json:"added"`
	Merge        *Merge   `json:"merge"`
	Recheck      *Recheck `json:"recheck"`
	Late         bool     `json:"late"`
	Exceptions   []string `json:"exceptions"`
	Findings     []string `json:"findings"`
}

// Commit names a commit with its author and time.
type Commit struct {
	SHA    string    `json:"sha"`
	Author string    `json:"author"`
	Time   time.Time `json:"time"`
}

// Merge is the evidence-carrying merge that accepted a report.
type Merge struct {
	Commit
	PullRequest int        `json:"pull_request"`
	Subject     string     `json:"subject"`
	Approvals   []Approval `json:"approvals"`
	PolicyBase  string     `json:"policy_base"`
}

// Approval is one approval named in a merge's evidence.
type Approval struct {
	Role     string    `json:"role"`
	Approver string    `json:"approver"`
	Login    string    `json:"login"`
	ReviewID int64     `json:"review_id"`
	At       time.Time `json:"at"`
	Commit   string    `json:"commit"`
}

// Recheck results.
const (
	Pass = "pass"
	Warn = "warn"
	Fail = "fail"
	// Unchecked: the rules at the merge could not be loaded.
	Unchecked = "unchecked"
)

// Recheck is the result of checking the accepted report again with the
// policies, schemas and registry of the merge that accepted it.
type Recheck struct {
	Result      string   `json:"result"`
	RefDate     string   `json:"reference_date"`
	RulesCommit string   `json:"rules_commit"`
	Errors      int      `json:"errors"`
	Warnings    int      `json:"warnings"`
	Rules       []string `json:"rules"`
}

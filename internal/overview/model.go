// Package overview is the contractor's work queue of a posture repository:
// for every active employee and each of their devices active in a period,
// where the report is (merged, in review or missing) and where that stands
// by the calendar (failing, overdue, late, not due yet, excepted or on
// time), whether it passes, the supervisor,
// the exceptions in force and the last twelve periods; totals per
// department and overall; the share reported on time and passing per
// department and month; and the list to follow up first. It renders the
// overview as Markdown, a self-contained HTML page, CSV and JSON.
package overview

import (
	"time"

	"github.com/posture-dev/posture/internal/ahead"
)

// Window is how many periods the history of a device and the trends
// cover, ending with the overview's period.
const Window = 12

// Overview is the result of Build. Its JSON form is the documented, stable
// output of posture overview --format json.
type Overview struct {
	Organization string    `json:"organization"`
	Period       string    `json:"period"`
	Due          string    `json:"due"`
	Commit       string    `json:"commit"`
	CommitTime   time.Time `json:"commit_time"`
	// GitHub is set when open pull requests were looked up.
	GitHub      bool       `json:"github"`
	Totals      Totals     `json:"totals"`
	Departments []Totals   `json:"departments"`
	Devices     []Device   `json:"devices"`
	FollowUp    []FollowUp `json:"follow_up"`
	Timezone    string     `json:"timezone"`
	// AsOf is when the calendar was read: the statuses and days follow it.
	AsOf time.Time `json:"as_of"`
	// RepoURL is the repository's web address when it is known, for links.
	RepoURL string `json:"repo_url"`
	// Periods are the periods of the history and the trends, oldest first,
	// ending with Period.
	Periods []string `json:"periods"`
	Trends  []Trend  `json:"trends"`
	// Ahead is what is coming for the queue's devices, as their owners'
	// monthly issues say it (package ahead).
	Ahead []ahead.Warning `json:"ahead"`
}

// Totals counts the devices of a department, or of everyone (Department
// ""). Devices = Merged + InReview + Missing, Merged = Passing + Warnings +
// Failing, and the statuses add up to the devices.
type Totals struct {
	Department string `json:"department"`
	Employees  int    `json:"employees"`
	Devices    int    `json:"devices"`
	Merged     int    `json:"merged"`
	InReview   int    `json:"in_review"`
	Missing    int    `json:"missing"`
	Passing    int    `json:"passing"`
	Warnings   int    `json:"warnings"`
	Failing    int    `json:"failing"`
	// Late counts the reports merged after the due day, failing or not.
	Late int `json:"late"`
	// WithExceptions counts the devices with an exception in force.
	WithExceptions int          `json:"with_exceptions"`
	ByStatus       StatusCounts `json:"by_status"`
}

// StatusCounts counts the devices by status.
type StatusCounts struct {
	Failing  int `json:"failing"`
	Overdue  int `json:"overdue"`
	Late     int `json:"late"`
	NotDue   int `json:"not_due"`
	Excepted int `json:"excepted"`
	OnTime   int `json:"on_time"`
}

// counts lists the counts in the order of Statuses.
func (c StatusCounts) counts() []int {
	return []int{c.Failing, c.Overdue, c.Late, c.NotDue, c.Excepted, c.OnTime}
}

// Statuses of a device in the work queue, by the calendar, in the order
// the queue lists them.
const (
	Failing  = "failing"  // merged, and the report fails the rules
	Overdue  = "overdue"  // not merged, and the due day has ended
	Late     = "late"     // merged after the due day, and not failing
	NotDue   = "not_due"  // not merged, and the due day has not ended
	Excepted = "excepted" // not merged after the due day, with an exception in force
	OnTime   = "on_time"  // merged by the due day, and not failing
)

// Statuses lists the statuses in the queue's order.
var Statuses = []string{Failing, Overdue, Late, NotDue, Excepted, OnTime}

// States say where a device's report is; whether that is late is the
// device's status.
const (
	Merged   = "merged"    // on the branch
	InReview = "in_review" // not on the branch; an open pull request adds it
	Missing  = "missing"   // neither
)

// Results of re-checking a merged report.
const (
	Pass = "pass"
	Warn = "warn"
	Fail = "fail"
)

// Device is one line of the work queue: an employee's device in the period.
type Device struct {
	Department string `json:"department"`
	Employee   string `json:"employee"`
	Name       string `json:"name"`
	GitHub     string `json:"github"`
	Device     string `json:"device"`
	Path       string `json:"path"`
	State      string `json:"state"`
	// PullRequest is the open pull request of a report in review, 0
	// otherwise.
	PullRequest int      `json:"pull_request"`
	Result      string   `json:"result"`
	Errors      int      `json:"errors"`
	Warnings    int      `json:"warnings"`
	Rules       []string `json:"rules"`
	Exceptions  []string `json:"exceptions"`
	Accepted    string   `json:"accepted"`
	Late        bool     `json:"late"`
	Status      string   `json:"status"`
	// Days counts the days past the due day: how overdue an overdue or
	// excepted report is, or how late a merged one was accepted.
	Days           int    `json:"days"`
	Supervisor     string `json:"supervisor"`
	SupervisorName string `json:"supervisor_name"`
	// AcceptedPull is the pull request whose merge brought in a merged
	// report, when the commit names it; 0 otherwise.
	AcceptedPull int   `json:"accepted_pull_request"`
	Links        Links `json:"links"`
	// History holds the last Window periods, oldest first, ending with
	// this one.
	History []Cell `json:"history"`
}

// Links of a device on GitHub, when the repository's address is known.
type Links struct {
	// Report is the report file at the overview's commit (merged) or the
	// pull request's changed files (in review).
	Report      string `json:"report"`
	PullRequest string `json:"pull_request"`
	// Issue is the employee's monthly issue of the period, or a search for
	// it when its number was not looked up.
	Issue string `json:"issue"`
}

// Marks of a period in a device's history.
const (
	CellPassed    = "passed"    // merged by the due day, not failing
	CellFailed    = "failed"    // merged, failing
	CellLate      = "late"      // merged after the due day, not failing
	CellMissing   = "missing"   // no report, and the due day has ended
	CellException = "exception" // no report after the due day, with an exception in force
	CellNotDue    = "not_due"   // no report yet, and the due day has not ended
	CellNone      = "none"      // the device was not in use that period
)

// Cell is one period of a device's history.
type Cell struct {
	Period      string `json:"period"`
	Mark        string `json:"mark"`
	Accepted    string `json:"accepted"`
	PullRequest int    `json:"pull_request"`
	// URL is the report file on GitHub, when there is one and the
	// repository's address is known.
	URL string `json:"url"`
}

// Trend is the share of a department's devices (everyone's, for
// Department "") reported on time and passing, per period of the window.
type Trend struct {
	Department string       `json:"department"`
	Points     []TrendPoint `json:"points"`
}

// TrendPoint is one period of a trend. Expected counts the devices in use
// less those excepted; OnTime those whose report was merged by the due day
// and passes. Percent is OnTime of Expected, rounded down, or -1 when no
// device was expected. Complete is false for a period whose due day has
// not ended: its share may still grow.
type TrendPoint struct {
	Period   string `json:"period"`
	Devices  int    `json:"devices"`
	Expected int    `json:"expected"`
	OnTime   int    `json:"on_time"`
	Percent  int    `json:"percent"`
	Complete bool   `json:"complete"`
}

// FollowUp is one entry of the list to follow up: failing reports first,
// then overdue ones (the most days first), then late ones. Reason is the
// device's status.
type FollowUp struct {
	Reason         string `json:"reason"`
	Department     string `json:"department"`
	Employee       string `json:"employee"`
	Name           string `json:"name"`
	Device         string `json:"device"`
	Detail         string `json:"detail"`
	Days           int    `json:"days"`
	Supervisor     string `json:"supervisor"`
	SupervisorName string `json:"supervisor_name"`
}

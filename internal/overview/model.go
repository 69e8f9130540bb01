// Package overview is the contractor's monthly overview of a posture
// repository: for every active employee and each of their devices active in
// a period, whether the report is there, merged or still in review, whether
// it passes, the exceptions in force and whether it came late; totals per
// department and overall; and the list to follow up first. It renders the
// overview as Markdown, a self-contained HTML page, CSV and JSON.
package overview

import "time"

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
}

// Totals counts the devices of a department, or of everyone (Department
// ""). Devices = Merged + InReview + Missing and Merged = Passing +
// Warnings + Failing.
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
	Late       int    `json:"late"`
	Excepted   int    `json:"with_exceptions"`
}

// States of a device's report.
const (
	Merged   = "merged"    // the report is on the branch
	InReview = "in_review" // not on the branch; an open pull request adds it
	Missing  = "missing"   // neither
)

// Results of re-checking a merged report.
const (
	Pass = "pass"
	Warn = "warn"
	Fail = "fail"
)

// Device is one line of the overview: an employee's device in the period.
type Device struct {
	Department  string   `json:"department"`
	Employee    string   `json:"employee"`
	Name        string   `json:"name"`
	GitHub      string   `json:"github"`
	Device      string   `json:"device"`
	Path        string   `json:"path"`
	State       string   `json:"state"`
	PullRequest int      `json:"pull_request"`
	Result      string   `json:"result"`
	Errors      int      `json:"errors"`
	Warnings    int      `json:"warnings"`
	Rules       []string `json:"rules"`
	Exceptions  []string `json:"exceptions"`
	Accepted    string   `json:"accepted"`
	Late        bool     `json:"late"`
}

// Reasons to follow up, in the order the list gives them.
const (
	ReasonFailing = "failing"
	ReasonMissing = "missing"
	ReasonLate    = "late"
)

// FollowUp is one entry of the list to follow up: failing first, then
// missing, then late.
type FollowUp struct {
	Reason     string `json:"reason"`
	Department string `json:"department"`
	Employee   string `json:"employee"`
	Name       string `json:"name"`
	Device     string `json:"device"`
	Detail     string `json:"detail"`
}

package githubtest

import "time"

// Issue is an issue, or the issue side of a pull request.
type Issue struct {
	Number    int
	ID        int64
	Title     string
	Body      string
	Author    string
	State     string // "open" (default) or "closed"
	Labels    []string
	Assignees []string
	CreatedAt time.Time
	UpdatedAt time.Time
	ClosedAt  time.Time
}

// Pull is a pull request.
type Pull struct {
	Issue
	Head      string // branch name
	HeadSHA   string // default: the head branch's commit, or a made-up SHA
	Base      string // default DefaultBranch
	BaseSHA   string
	Draft     bool
	Mergeable *bool    // nil means mergeable
	Requested []string // logins whose review is requested
	Files     []File
	Reviews   []Review
	Merged    bool
	Merge     *Merge // how it was merged, once it is
}

// File is a file changed by a pull request.
type File struct {
	Filename         string
	Status           string // "added" (default), "modified", "removed", "renamed"
	Additions        int
	Deletions        int
	Patch            string
	PreviousFilename string
}

// Review is a pull request review.
type Review struct {
	ID          int64
	User        string
	State       string // "APPROVED" (default), "CHANGES_REQUESTED", "COMMENTED", "DISMISSED"
	Body        string
	CommitID    string // default: the pull request's head SHA
	SubmittedAt time.Time
}

// Comment is an issue or pull request comment.
type Comment struct {
	ID        int64
	Issue     int
	User      string
	Body      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Label is a repository label.
type Label struct {
	ID          int64
	Name        string
	Color       string
	Description string
}

// Status is a commit status.
type Status struct {
	ID          int64
	SHA         string
	Context     string
	State       string
	Description string
	TargetURL   string
	Creator     string
	CreatedAt   time.Time
}

// Merge records a merge done through the API.
type Merge struct {
	SHA     string // the merge commit
	HeadSHA string // the sha the request passed
	Method  string
	Title   string
	Message string
}

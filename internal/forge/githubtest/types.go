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
	// Commits are the commits it adds, oldest first, as GET
	// pulls/{n}/commits lists them (the first 250, as GitHub does).
	// Default: the commits the fake made on its head branch since its
	// base (SetFile, the contents API), by the login that made them, or
	// else one commit, HeadSHA, by Author. PushHead and PushCommit add to
	// them.
	Commits []Commit
}

// Commit is one commit of a pull request.
type Commit struct {
	SHA string
	// Author and Committer are the logins of the GitHub accounts the
	// commit's emails belong to; "" for an email no account has, which
	// GitHub answers with a null user.
	Author, Committer string
	// AuthorEmail and CommitterEmail default to the login's noreply
	// address, or nobody@example.com without a login.
	AuthorEmail, CommitterEmail string
	Message                     string    // default "Update"
	Date                        time.Time // default: when it is added
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

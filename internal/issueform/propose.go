package issueform

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/google/go-github/v60/github"
	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/issuelink"
)

// propose writes rec on the issue's branch and opens its pull request, or
// updates the one an earlier run opened. It changes nothing, and says why
// in skipped, when that pull request is closed or merged (a record is not
// changed after its review) or when it carries another file: the form was
// edited to name another device or month, which is a new form.
func propose(ctx context.Context, c *forge.Client, opts SubmitOptions, rec *Record, prev int, title, body string) (n int, skipped string, err error) {
	branch := issuelink.Branch(opts.Issue)
	if prev == 0 { // the status comment was lost or never written: ask GitHub
		pr, err := findPull(ctx, c, branch, opts.Into, "all")
		if err != nil {
			return 0, "", err
		}
		prev = pr.GetNumber()
	}
	if prev > 0 {
		pr, err := c.PullRequest(ctx, prev)
		switch {
		case errors.Is(err, forge.ErrNotFound):
		case err != nil:
			return 0, "", err
		case pr.GetState() != "open":
			return 0, fmt.Sprintf("pull request #%d is %s already; open a new form to change the record", prev, pr.GetState()), nil
		default:
			files, err := c.PullFiles(ctx, prev)
			if err != nil {
				return 0, "", err
			}
			for _, f := range files {
				if f.GetFilename() != rec.Path {
					_, err := c.UpsertComment(ctx, opts.Issue, StatusMarker, fmt.Sprintf("%s\n%s\nThis issue was edited to name another record (`%s`) than pull request #%d carries (`%s`). Close #%d and open a new form instead.\n",
						StatusMarker, prMarker(prev), rec.Path, prev, f.GetFilename(), prev))
					return 0, fmt.Sprintf("pull request #%d carries %s, not %s", prev, f.GetFilename(), rec.Path), err
				}
			}
		}
	}
	if err := ensureBranch(ctx, c, branch, opts.BaseSHA); err != nil {
		return 0, "", err
	}
	if _, err := c.CreateOrUpdateFile(ctx, branch, rec.Path, title, rec.Content); err != nil {
		return 0, "", err
	}
	if pr, err := findPull(ctx, c, branch, opts.Into, "open"); err != nil || pr != nil {
		return pr.GetNumber(), "", err
	}
	pr, err := c.CreatePullRequest(ctx, title, branch, opts.Into, body)
	var unsure *forge.UncertainError
	if errors.As(err, &unsure) {
		if found, ferr := findPull(ctx, c, branch, opts.Into, "open"); ferr == nil && found != nil {
			return found.GetNumber(), "", nil
		}
	}
	if err != nil {
		return 0, "", err
	}
	return pr.GetNumber(), "", nil
}

// ensureBranch creates branch at sha unless it exists.
func ensureBranch(ctx context.Context, c *forge.Client, branch, sha string) error {
	_, err := c.GetRef(ctx, "heads/"+branch)
	if !errors.Is(err, forge.ErrNotFound) {
		return err
	}
	_, err = c.CreateRef(ctx, "refs/heads/"+branch, sha)
	var unsure *forge.UncertainError
	var er *github.ErrorResponse
	switch {
	case errors.As(err, &unsure):
		_, err = c.GetRef(ctx, "heads/"+branch)
	case errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusUnprocessableEntity && er.Message == "Reference already exists":
		err = nil // another run made it a moment ago
	}
	if err != nil {
		return fmt.Errorf("create branch %s: %w", branch, err)
	}
	return nil
}

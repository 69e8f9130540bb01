package forge

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/go-github/v60/github"
)

// maxStatusDescription is GitHub's limit on a commit status description.
const maxStatusDescription = 140

// EnsureLabel makes sure the repository has label name with color (six hex
// digits, "#" optional) and description: it creates the label when it is
// missing and corrects its color or description when they differ. Another
// run creating it at the same moment (422 already_exists) is success.
func (c *Client) EnsureLabel(ctx context.Context, name, color, description string) error {
	color = strings.TrimPrefix(color, "#")
	verb := fmt.Sprintf("ensure label %q", name)
	// go-github puts the name into the path as it is; escape it here.
	l, _, err := c.gh.Issues.GetLabel(ctx, c.owner, c.repo, url.PathEscape(name))
	switch {
	case err == nil:
		if strings.EqualFold(l.GetColor(), color) && l.GetDescription() == description {
			return nil
		}
		_, _, err = c.gh.Issues.EditLabel(ctx, c.owner, c.repo, url.PathEscape(name),
			&github.Label{Color: &color, Description: &description})
		if err != nil {
			return c.wrap(verb, err)
		}
		return nil
	case statusOf(err) != http.StatusNotFound:
		return c.wrap(verb, err)
	}
	_, _, err = c.gh.Issues.CreateLabel(repeatable(ctx), c.owner, c.repo,
		&github.Label{Name: &name, Color: &color, Description: &description})
	if err != nil && !(statusOf(err) == http.StatusUnprocessableEntity && hasCode(err, "already_exists")) {
		return c.wrap(verb, err)
	}
	return nil
}

// SetLabels replaces the labels of issue or pull request n with labels;
// none removes them all.
//
// Both this and AddLabels send {"labels": [...]}, the body GitHub's
// OpenAPI description gives; go-github v60 sends a bare array, which
// GitHub takes but no longer describes. Its schema wants at least one
// label, so no labels is DELETE /issues/{n}/labels.
func (c *Client) SetLabels(ctx context.Context, n int, labels []string) error {
	verb := fmt.Sprintf("set labels of #%d", n)
	if len(labels) == 0 {
		if _, err := c.gh.Issues.RemoveLabelsForIssue(ctx, c.owner, c.repo, n); err != nil {
			return c.wrap(verb, err)
		}
		return nil
	}
	if err := c.sendLabels(ctx, "PUT", n, labels); err != nil {
		return c.wrap(verb, err)
	}
	return nil
}

// AddLabels adds labels to issue or pull request n, keeping the others.
func (c *Client) AddLabels(ctx context.Context, n int, labels ...string) error {
	if len(labels) == 0 {
		return nil
	}
	if err := c.sendLabels(repeatable(ctx), "POST", n, labels); err != nil {
		return c.wrap(fmt.Sprintf("add labels to #%d", n), err)
	}
	return nil
}

// sendLabels sends {"labels": labels} to /issues/{n}/labels.
func (c *Client) sendLabels(ctx context.Context, method string, n int, labels []string) error {
	u := fmt.Sprintf("repos/%s/%s/issues/%d/labels", url.PathEscape(c.owner), url.PathEscape(c.repo), n)
	req, err := c.gh.NewRequest(method, u, struct {
		Labels []string `json:"labels"`
	}{labels})
	if err != nil {
		return err
	}
	var out []*github.Label
	_, err = c.gh.Do(ctx, req, &out)
	return err
}

// RemoveLabel removes label name from issue or pull request n. A label
// that is not there (404) is not an error.
func (c *Client) RemoveLabel(ctx context.Context, n int, name string) error {
	_, err := c.gh.Issues.RemoveLabelForIssue(ctx, c.owner, c.repo, n, url.PathEscape(name))
	if err != nil && statusOf(err) != http.StatusNotFound {
		return c.wrap(fmt.Sprintf("remove label %q from #%d", name, n), err)
	}
	return nil
}

// SetStatus sets the commit status named statusContext (e.g.
// "posture/approvals") on sha to state ("pending", "success", "failure" or "error"). description
// is cut to GitHub's 140 characters; targetURL may be empty.
func (c *Client) SetStatus(ctx context.Context, sha, statusContext, state, description, targetURL string) error {
	st := &github.RepoStatus{Context: &statusContext, State: &state, Description: github.String(truncate(description, maxStatusDescription))}
	if targetURL != "" {
		st.TargetURL = &targetURL
	}
	if _, _, err := c.gh.Repositories.CreateStatus(repeatable(ctx), c.owner, c.repo, sha, st); err != nil {
		return c.wrap(fmt.Sprintf("set status %s on %.12s", statusContext, sha), err)
	}
	return nil
}

// truncate cuts s to at most n characters, ending it with "…" if cut.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

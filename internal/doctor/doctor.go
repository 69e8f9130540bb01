// Package doctor judges the GitHub side of a posture repository: whether
// the settings that the review gate, the workflows and the posture app
// rely on hold. It reads nothing itself: Check takes what internal/forge
// read (forge.Settings) and returns one Item per requirement, each saying
// what holds, or what is wrong and what to do.
package doctor

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/posture-dev/posture/internal/forge"
)

// Status is the verdict on one item.
type Status int

// The verdicts. Unknown is an item doctor could not see (the token may
// not read it): it is not known to hold, so it counts against a clean run.
const (
	OK Status = iota
	Fail
	Unknown
)

// Item is one requirement and its verdict.
type Item struct {
	// ID names the requirement, e.g. "ruleset.approvals"; docs/doctor.md
	// describes each.
	ID      string
	Status  Status
	Message string // what holds, or what does not
	Fix     string // what to do; empty when OK
}

// String is the item's line: "ok   message", "FAIL message: fix" or
// "??   message: fix".
func (it Item) String() string {
	switch it.Status {
	case OK:
		return "ok   " + it.Message
	case Fail:
		return "FAIL " + it.Message + ": " + it.Fix
	}
	return "??   " + it.Message + ": " + it.Fix
}

// Want is what the settings are judged against, besides the names in names.go.
type Want struct {
	// Repo is the repository, OWNER/NAME.
	Repo string
	// Statuses are the commit statuses the ruleset must require from the
	// posture app: posture/check and posture/approvals.
	Statuses []string
	// AppID is the posture app's id, from --app-id; 0 means the id GitHub
	// gives for the app BotLogin names (forge.Settings.App).
	AppID int64
	// BotLogin is bot_login from posture.yaml, the posture app's login
	// "<slug>[bot]", and SettingsFile the posture.yaml it was read from as
	// the user would name it ("posture.yaml", "../reports/posture.yaml");
	// NoSettings says that there is no such file.
	BotLogin     string
	SettingsFile string
	NoSettings   bool
	// Action is the action the workflows call, OWNER/NAME@REF, as the
	// action line of posture.lock names it (posture-dev/posture@ and the
	// tag or commit init or upgrade pinned); "" when it is not known.
	Action string
}

// Check judges s. The items come in a stable order: the repository, the
// ruleset, the environment, the labels, Actions, the app. An item that
// another one's failure makes meaningless is left out: the environment's
// secret when there is no environment, the app's client id and
// permissions when the app is not found.
func Check(s *forge.Settings, w Want) []Item {
	branch := s.Repository.GetDefaultBranch()
	app := appOf(s, w)
	appID := w.AppID
	if appID == 0 && app != nil {
		appID = app.ID
	}
	var items []Item
	items = append(items, repositoryItems(s, w)...)
	items = append(items, rulesetItems(s.Rulesets, branch, w.Statuses, appID)...)
	env := environmentItems(s, branch)
	items = append(items, env...)
	items = append(items, labelItem(s.Labels))
	items = append(items, actionsItems(s, w.Action)...)
	items = append(items, appItems(s, w, app, clientID(s, env))...)
	items = append(items, installedItem(s.Installation, w.Repo, app))
	return items
}

// Clean reports whether every item holds.
func Clean(items []Item) bool {
	for _, it := range items {
		if it.Status != OK {
			return false
		}
	}
	return true
}

// unread is the item for something the token could not read.
func unread(id, what string, err error) Item {
	var d *forge.DeniedError
	switch {
	case errors.As(err, &d) && d.Status == 401:
		return Item{ID: id, Status: Unknown, Message: fmt.Sprintf("cannot read %s, because GitHub refused the token (401 %s)", what, d.Message),
			Fix: "use a valid token"}
	case errors.As(err, &d):
		return Item{ID: id, Status: Unknown, Message: fmt.Sprintf("cannot read %s (403 %s)", what, d.Message),
			Fix: "run with a token that has " + d.Permission()}
	}
	return Item{ID: id, Status: Unknown, Message: fmt.Sprintf("cannot read %s (%v)", what, err), Fix: "run posture doctor again"}
}

// quoted lists names as "a", "b" and "c".
func quoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

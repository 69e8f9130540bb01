package doctor

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/forge/githubtest"
)

// The refs of posture-dev/posture that posture.lock's action line may pin:
// init and upgrade write a release's tag, or the commit posture was built
// from, and the workflows call the action at it.
const (
	inUse    = "3f786850e387550fdab836ed7e6dc881de23001b"
	otherSHA = "89e6c98d92887913cadf06b2adb97f26cde4849b"
)

// allowedOn seeds a fake GitHub with the Actions settings a, reads the
// settings as posture doctor does, and returns the actions.allowed item
// for workflows that call action (posture.lock's OWNER/NAME@REF).
func allowedOn(t *testing.T, a githubtest.Actions, action string) Item {
	t.Helper()
	const token = "ghs_admin"
	srv := githubtest.New(t)
	srv.RequireToken(token)
	clk := githubtest.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	srv.SetClock(clk)
	srv.SetActions(a)
	c, err := forge.New(forge.Options{HTTPClient: srv.Client(), BaseURL: srv.URL(), Token: token,
		Owner: githubtest.Owner, Repo: githubtest.Repo, Sleep: clk.Sleep, Now: clk.Now, AfterFunc: clk.AfterFunc,
		Log: githubtest.TestLog(t)})
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.ReadSettings(context.Background(), forge.SettingsRequest{Environment: Environment})
	if err != nil {
		t.Fatal(err)
	}
	if n := srv.Calls("GET", "actions/permissions/selected-actions"); a.Allowed == "selected" && n != 1 {
		t.Errorf("selected actions read %d times, want once", n)
	}
	w := want
	w.Action = action
	for _, it := range Check(s, w) {
		if it.ID == "actions.allowed" {
			return it
		}
	}
	t.Fatal("no actions.allowed item")
	return Item{}
}

// TestAllowedAtTheRefInUse: an allow list that names posture's action at
// the tag or commit the workflows pin (GitHub's OWNER/REPO@TAG-OR-SHA), or
// at a pattern matching it, allows it; one that names it at another ref
// does not, and the line says which ref is in use and what to add.
func TestAllowedAtTheRefInUse(t *testing.T) {
	selected := func(patterns ...string) githubtest.Actions {
		return githubtest.Actions{Allowed: "selected", GitHubOwned: true, Patterns: patterns}
	}
	tests := []struct {
		name    string
		actions githubtest.Actions
		action  string // posture.lock's action line
		status  Status
		line    string
	}{
		{"pinned by the commit in use", selected("posture-dev/posture@" + inUse), "posture-dev/posture@" + inUse, OK,
			"ok   GitHub Actions allows the actions posture's workflows use: actions/checkout, actions/setup-go, actions/upload-artifact, actions/cache, actions/create-github-app-token, posture-dev/posture@" + inUse},
		{"pinned by the tag in use", selected("octo-org/other@*", "posture-dev/posture@v1.4.0"), "posture-dev/posture@v1.4.0", OK,
			"ok   GitHub Actions allows the actions posture's workflows use: actions/checkout, actions/setup-go, actions/upload-artifact, actions/cache, actions/create-github-app-token, posture-dev/posture@v1.4.0"},
		{"names in another case", selected(" Posture-Dev/Posture@" + strings.ToUpper(inUse)), "posture-dev/posture@" + inUse, OK, ""},
		{"a pattern for the ref", selected("posture-dev/posture@v1.*"), "posture-dev/posture@v1.4.0", OK, ""},
		{"a pattern for the names at the ref", selected("posture-*/*@" + inUse), "posture-dev/posture@" + inUse, OK, ""},
		{"every ref", selected("posture-dev/posture@*"), "posture-dev/posture@" + inUse, OK, ""},
		{"the owner's every action", selected("posture-dev/*"), "posture-dev/posture@" + inUse, OK, ""},
		{"another commit", selected("posture-dev/posture@" + otherSHA), "posture-dev/posture@" + inUse, Fail,
			"FAIL GitHub Actions does not allow posture-dev/posture@" + inUse + ", which posture's workflows use (the allowed actions have only posture-dev/posture@" + otherSHA + ", at another ref): " +
				"Settings → Actions → General → Actions permissions → add posture-dev/posture@" + inUse + " to Allow or block specified actions and reusable workflows " +
				"(or posture-dev/posture@* for every ref, so that an upgrade of posture needs no new entry)"},
		{"another tag", selected("posture-dev/posture@v1.3.0"), "posture-dev/posture@v1.4.0", Fail,
			"FAIL GitHub Actions does not allow posture-dev/posture@v1.4.0, which posture's workflows use (the allowed actions have only posture-dev/posture@v1.3.0, at another ref): " +
				"Settings → Actions → General → Actions permissions → add posture-dev/posture@v1.4.0 to Allow or block specified actions and reusable workflows " +
				"(or posture-dev/posture@* for every ref, so that an upgrade of posture needs no new entry)"},
		{"the tag of the commit in use", selected("posture-dev/posture@v1.4.0"), "posture-dev/posture@" + inUse, Fail, ""},
		{"a commit's prefix", selected("posture-dev/posture@" + inUse[:7]), "posture-dev/posture@" + inUse, Fail, ""},
		{"another repository at the commit", selected("posture-dev/posture-extra@" + inUse), "posture-dev/posture@" + inUse, Fail, ""},
		{"GitHub's actions not allowed", githubtest.Actions{Allowed: "selected", Patterns: []string{"posture-dev/posture@" + inUse}}, "posture-dev/posture@" + inUse, Fail,
			"FAIL GitHub Actions does not allow actions/checkout, actions/setup-go, actions/upload-artifact, actions/cache, actions/create-github-app-token, which posture's workflows use: " +
				"Settings → Actions → General → Actions permissions → tick Allow actions created by GitHub"},
		{"ref not known", selected("posture-dev/posture@" + inUse), "", Fail,
			"FAIL GitHub Actions does not allow posture-dev/posture, which posture's workflows use: " +
				"Settings → Actions → General → Actions permissions → add posture-dev/posture@* to Allow or block specified actions and reusable workflows"},
		{"ref not known, every ref allowed", selected("posture-dev/posture@*"), "", OK, ""},
		{"local only", githubtest.Actions{Allowed: "local_only"}, "posture-dev/posture@" + inUse, Fail,
			"FAIL GitHub Actions allows only the owner's own actions and reusable workflows, but posture's workflows use actions/checkout, actions/setup-go, actions/upload-artifact, actions/cache, actions/create-github-app-token, posture-dev/posture@" + inUse + ": " +
				"Settings → Actions → General → Actions permissions → Allow <owner>, and select non-<owner>, actions and reusable workflows → tick Allow actions created by GitHub, " +
				"and add posture-dev/posture@" + inUse + " to Allow or block specified actions and reusable workflows (or posture-dev/posture@* for every ref, so that an upgrade of posture needs no new entry)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := allowedOn(t, tt.actions, tt.action)
			if it.Status != tt.status {
				t.Errorf("status %v, want %v: %s", it.Status, tt.status, it)
			}
			if tt.line != "" && it.String() != tt.line {
				t.Errorf("line %q\nwant %q", it, tt.line)
			}
		})
	}
}

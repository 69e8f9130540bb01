package doctor

import (
	"github.com/posture-dev/posture/internal/gate"
	"github.com/posture-dev/posture/internal/issueform"
)

// The names posture's workflows use on GitHub, in one place: the
// workflows are written apart from this package, so whoever renames one
// there renames it here.
const (
	// Environment is the deployment environment of the jobs that mint the
	// posture app's installation token: only the default branch may use it.
	Environment = "posture"
	// KeySecret is the environment secret holding the posture app's private key.
	KeySecret = "POSTURE_APP_PRIVATE_KEY"
	// ClientIDVariable is the environment variable holding the posture
	// app's Client ID, which the workflows hand to
	// actions/create-github-app-token as its client-id.
	ClientIDVariable = "POSTURE_APP_CLIENT_ID"
	// AppTokenEnv is the process environment variable in which posture
	// doctor takes an installation token of the posture app, to check that
	// the installation reaches the repository.
	AppTokenEnv = "POSTURE_APP_TOKEN"
)

// BotSuffix ends the login of every GitHub App: an app's login is its
// slug and BotSuffix, and posture.yaml's bot_login is the posture app's.
const BotSuffix = "[bot]"

// Permission is a permission of a GitHub App, as GitHub names it in
// "Get an app": Name "contents", Level "write".
type Permission struct{ Name, Level string }

// AppPermissions are the permissions the posture app must have, no more
// and no fewer (docs/admin.md, "The posture GitHub App"): the workflows'
// tokens ask for at most these.
var AppPermissions = []Permission{
	{"contents", "write"},
	{"pull_requests", "write"},
	{"issues", "write"},
	{"statuses", "write"},
	{"metadata", "read"},
}

// GitHubActionsAppID is the integration id of GitHub Actions: statuses set
// with any workflow's GITHUB_TOKEN come from it.
const GitHubActionsAppID = 15368

// UsedActions are the actions posture's workflows use (uses:), which the
// repository's Actions permissions must allow.
var UsedActions = []string{
	"actions/checkout",
	"actions/setup-go",
	"actions/upload-artifact",
	"actions/cache",
	"actions/create-github-app-token",
	"posture-dev/posture",
}

// Labels returns the labels posture needs in the repository: the role
// labels that route sets, and the labels the issue forms put on their
// issues, which GitHub applies only when they exist. The report/YYYY-MM
// labels are created by the opener when it needs them.
func Labels() []string {
	var out []string
	for _, l := range gate.AllLabels {
		out = append(out, l.Name)
	}
	for _, k := range issueform.Kinds {
		out = append(out, k.Label())
	}
	return out
}

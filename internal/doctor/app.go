package doctor

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/posture-dev/posture/internal/forge"
)

// slugPattern is what doctor takes for an app's slug: GitHub makes it
// from the app's name, in letters, digits and hyphens.
var slugPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// AppSlug returns the slug of the GitHub App whose login is botLogin
// ("acme-posture[bot]" gives "acme-posture"), and false when botLogin is
// no app's login.
func AppSlug(botLogin string) (string, bool) {
	slug, ok := strings.CutSuffix(strings.TrimSpace(botLogin), BotSuffix)
	if !ok || !slugPattern.MatchString(slug) {
		return "", false
	}
	return slug, true
}

// appOf returns the app that posture.yaml's bot_login names, when GitHub
// showed it.
func appOf(s *forge.Settings, w Want) *forge.App {
	if _, ok := AppSlug(w.BotLogin); !ok || s.App.Err != nil {
		return nil
	}
	return s.App.Value
}

// appItems judges the posture app: which one bot_login names, that it
// exists, and, when it does, its client id against the environment's
// (clientID, "" when that variable is wanting: its own line says so), its
// permissions and its events.
func appItems(s *forge.Settings, w Want, app *forge.App, clientID string) []Item {
	file := w.SettingsFile
	if file == "" {
		file = "posture.yaml"
	}
	slug, ok := AppSlug(w.BotLogin)
	items := []Item{botLoginItem(w, file, slug, ok)}
	if !ok {
		return items
	}
	items = append(items, existsItem(s.App, slug, file, w.AppID))
	if app == nil {
		return items
	}
	if clientID != "" {
		items = append(items, clientIDItem(app, clientID, file))
	}
	return append(items, permissionsItem(app), eventsItem(app))
}

func botLoginItem(w Want, file, slug string, ok bool) Item {
	const id = "app.bot-login"
	const which = "so doctor cannot tell which GitHub App is the posture app"
	example := "write bot_login: <slug>[bot] in " + file + ", the posture app's login, with the slug of its page https://github.com/apps/<slug> (e.g. bot_login: acme-posture[bot])"
	login := strings.TrimSpace(w.BotLogin)
	switch {
	case ok:
		return Item{ID: id, Status: OK, Message: fmt.Sprintf("bot_login %q in %s names the GitHub App %s", login, file, slug)}
	case w.NoSettings:
		return Item{ID: id, Status: Fail, Message: fmt.Sprintf("there is no %s, whose bot_login names the posture app, %s", file, which),
			Fix: "run posture doctor in the repository's clone (-C DIR), or " + example}
	case login == "":
		return Item{ID: id, Status: Fail, Message: fmt.Sprintf("%s sets no bot_login, %s", file, which), Fix: example}
	case !strings.HasSuffix(login, BotSuffix) && slugPattern.MatchString(login):
		return Item{ID: id, Status: Fail,
			Message: fmt.Sprintf("bot_login %q in %s is no GitHub App's login, which is the app's slug and %q, %s", login, file, BotSuffix, which),
			Fix: fmt.Sprintf("write bot_login: %s%s in %s if %s is the posture app's slug (its page https://github.com/apps/%s), else the posture app's login",
				login, BotSuffix, file, login, login)}
	}
	return Item{ID: id, Status: Fail,
		Message: fmt.Sprintf("bot_login %q in %s is no GitHub App's login, which is the app's slug and %q, %s", login, file, BotSuffix, which),
		Fix:     example}
}

func existsItem(p forge.Part[*forge.App], slug, file string, flagID int64) Item {
	const id = "app.exists"
	app := p.Value
	switch {
	case errors.Is(p.Err, forge.ErrNotFound):
		return Item{ID: id, Status: Fail,
			Message: fmt.Sprintf("there is no GitHub App %s, or it is private and the token may not see it", slug),
			Fix: fmt.Sprintf("correct bot_login in %s to the posture app's login, <slug>[bot], with the slug of its page https://github.com/apps/<slug>; or create the app as docs/admin.md says",
				file)}
	case p.Err != nil:
		return unread(id, "the GitHub App "+slug, p.Err)
	case app == nil:
		return Item{ID: id, Status: Unknown, Message: "the GitHub App " + slug + " was not read", Fix: "run posture doctor again"}
	case flagID != 0 && app.ID != flagID:
		return Item{ID: id, Status: Fail,
			Message: fmt.Sprintf("the GitHub App %s has app id %d, but --app-id says %d", slug, app.ID, flagID),
			Fix:     fmt.Sprintf("pass --app-id %d, or correct bot_login in %s if %s is not the posture app", app.ID, file, slug)}
	}
	return Item{ID: id, Status: OK, Message: fmt.Sprintf("the GitHub App %s exists (app id %d, owned by %s)", slug, app.ID, app.Owner)}
}

func clientIDItem(app *forge.App, v, file string) Item {
	const id = "app.client-id"
	variable := fmt.Sprintf("the variable %s of environment %s", ClientIDVariable, Environment)
	switch {
	case app.ClientID == "":
		return Item{ID: id, Status: Unknown,
			Message: fmt.Sprintf("GitHub's answer about the GitHub App %s has no client_id, so doctor cannot compare it with %s", app.Slug, variable),
			Fix:     "check by hand that the variable is the Client ID on the app's settings page"}
	case v == app.ClientID:
		return Item{ID: id, Status: OK, Message: fmt.Sprintf("%s is the client id of the GitHub App %s", variable, app.Slug)}
	}
	return Item{ID: id, Status: Fail,
		Message: fmt.Sprintf("%s is %q, but the client id of the GitHub App %s is %q, so the workflows mint another app's token, or none", variable, v, app.Slug, app.ClientID),
		Fix: fmt.Sprintf("Settings → Environments → %s → Environment variables → set %s to %s, and the secret %s to a private key of %s; or correct bot_login in %s",
			Environment, ClientIDVariable, app.ClientID, KeySecret, app.Slug, file)}
}

func permissionsItem(app *forge.App) Item {
	const id = "app.permissions"
	var missing, wrong, extra, want []string
	for _, p := range AppPermissions {
		want = append(want, p.words(p.Level))
		switch have := app.Permissions[p.Name]; have {
		case p.Level:
		case "":
			missing = append(missing, p.words(p.Level))
		default:
			wrong = append(wrong, fmt.Sprintf("%s instead of %s", p.words(have), p.Level))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(app.Permissions)) {
		if !slices.ContainsFunc(AppPermissions, func(p Permission) bool { return p.Name == name }) {
			extra = append(extra, Permission{Name: name}.words(app.Permissions[name]))
		}
	}
	if len(missing)+len(wrong)+len(extra) == 0 {
		return Item{ID: id, Status: OK, Message: fmt.Sprintf("the GitHub App %s has the permissions posture uses and no other: %s", app.Slug, strings.Join(want, ", "))}
	}
	var parts []string
	if len(extra) > 0 {
		parts = append(parts, "has "+strings.Join(extra, ", ")+", which posture does not use")
	}
	if len(wrong) > 0 {
		parts = append(parts, "has "+strings.Join(wrong, ", "))
	}
	if len(missing) > 0 {
		parts = append(parts, "lacks "+strings.Join(missing, ", "))
	}
	return Item{ID: id, Status: Fail, Message: fmt.Sprintf("the GitHub App %s %s", app.Slug, strings.Join(parts, "; ")),
		Fix: appSettings(app) + " → Permissions & events → Repository permissions: Contents, Pull requests, Issues and Commit statuses Read and write, Metadata Read-only, every other permission No access; then accept the new permissions on the app's installation"}
}

// words names a permission at level as GitHub's settings page does:
// "Commit statuses: write".
func (p Permission) words(level string) string {
	name := map[string]string{"statuses": "Commit statuses"}[p.Name]
	if name == "" {
		name = strings.ReplaceAll(p.Name, "_", " ")
		if name != "" {
			name = strings.ToUpper(name[:1]) + name[1:]
		}
	}
	return name + ": " + level
}

func eventsItem(app *forge.App) Item {
	const id = "app.events"
	if len(app.Events) == 0 {
		return Item{ID: id, Status: OK, Message: fmt.Sprintf("the GitHub App %s subscribes to no events", app.Slug)}
	}
	return Item{ID: id, Status: Fail,
		Message: fmt.Sprintf("the GitHub App %s subscribes to the events %s, but posture's app listens to nothing (the workflows call it)", app.Slug, quoted(app.Events)),
		Fix:     appSettings(app) + " → Permissions & events → Subscribe to events: untick every one (and under General → Webhook, untick Active)"}
}

// appSettings is the way to the app's settings page.
func appSettings(app *forge.App) string {
	if app.OwnerType == "User" {
		return fmt.Sprintf("the account settings of %s → Developer settings → GitHub Apps → %s → Edit", app.Owner, app.Slug)
	}
	return fmt.Sprintf("the settings of organization %s → Developer settings → GitHub Apps → %s → Edit", app.Owner, app.Slug)
}

func installedItem(p *forge.Part[[]string], repo string, app *forge.App) Item {
	const id = "app.installed"
	name := "posture"
	if app != nil {
		name = app.Slug
	}
	if p == nil {
		return Item{ID: id, Status: Unknown,
			Message: "cannot verify that the posture app is installed on " + repo + " (GitHub tells that only to the app itself)",
			Fix:     fmt.Sprintf("run with the app's installation token in $%s", AppTokenEnv)}
	}
	var d *forge.DeniedError
	switch {
	case errors.As(p.Err, &d) && d.Status == 401:
		return Item{ID: id, Status: Unknown, Message: fmt.Sprintf("cannot verify that the posture app is installed, because GitHub refused $%s (401 %s)", AppTokenEnv, d.Message),
			Fix: "mint a new installation token of the posture app: they expire after an hour"}
	case p.Err != nil:
		return unread(id, "the repositories of the app's installation", p.Err)
	}
	if slices.ContainsFunc(p.Value, func(r string) bool { return strings.EqualFold(r, repo) }) {
		return Item{ID: id, Status: OK, Message: fmt.Sprintf("the installation behind $%s reaches %s", AppTokenEnv, repo)}
	}
	return Item{ID: id, Status: Fail,
		Message: fmt.Sprintf("the installation behind $%s does not reach %s, so the app can set no status there", AppTokenEnv, repo),
		Fix:     "organization settings → GitHub Apps → " + name + " → Configure → Repository access → add " + repo}
}

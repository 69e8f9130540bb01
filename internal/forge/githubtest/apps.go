package githubtest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// App is a GitHub App, as GET /apps/{app_slug} ("Get an app") shows it.
// Unseeded, GitHub knows no app: every slug gets a 404.
type App struct {
	Slug string // required; the app's login is Slug + "[bot]"
	// ID is the App ID; 0 makes one up from the slug.
	ID int64
	// ClientID is the Client ID; "" makes one up from the id, in GitHub's
	// "Iv23li..." form. HideClientID leaves client_id out of the answer,
	// which the schema of "Get an app" does not require.
	ClientID     string
	HideClientID bool
	// Name is the app's name; "" uses the slug.
	Name string
	// Owner is the owning account's login, Owner (the repository's) by
	// default; OwnerType is "Organization" (default) or "User".
	Owner, OwnerType string
	// Permissions are the app's permissions by name ("contents": "write");
	// nil means only "metadata": "read", which every app has.
	Permissions map[string]string
	// Events are the webhook events the app subscribes to.
	Events []string
}

// AddApp makes GitHub know the app a, and returns it with the defaults
// filled in (its ID and ClientID).
func (s *Server) AddApp(a App) App {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a.Slug == "" || strings.ContainsAny(a.Slug, "/[] ") {
		s.t.Fatalf("githubtest: app slug %q: a slug is the URL-friendly name of an app, e.g. acme-posture", a.Slug)
	}
	if a.OwnerType != "" && a.OwnerType != "Organization" && a.OwnerType != "User" {
		s.t.Fatalf("githubtest: app %s: OwnerType %q is not \"Organization\" or \"User\"", a.Slug, a.OwnerType)
	}
	if a.ID == 0 {
		a.ID = userID("app " + a.Slug)
	}
	if a.ClientID == "" {
		a.ClientID = fmt.Sprintf("Iv23li%014x", a.ID)
	}
	if a.Name == "" {
		a.Name = a.Slug
	}
	if a.Owner == "" {
		a.Owner = Owner
	}
	if a.OwnerType == "" {
		a.OwnerType = "Organization"
	}
	if a.Permissions == nil {
		a.Permissions = map[string]string{"metadata": "read"}
	}
	a.Permissions = maps.Clone(a.Permissions)
	a.Events = slices.Clone(a.Events)
	s.cfg().apps = append(s.cfg().apps, &a)
	return a
}

func init() {
	routes = append(routes, route{"GET", "/apps/{name}", "apps/get-by-slug", nil, (*Server).getApp})
}

// getApp answers "Get an app" in the shape of the REST reference's
// example (the "integration" schema, every required field present). An
// unknown slug is a 404, as for a private app the token may not see.
func (s *Server) getApp(c *call) {
	i := slices.IndexFunc(s.cfg().apps, func(a *App) bool { return strings.EqualFold(a.Slug, c.name) })
	if i < 0 {
		fail(c, http.StatusNotFound, "Not Found")
		return
	}
	a := s.cfg().apps[i]
	owner := s.userJSON(a.Owner)
	owner["type"] = a.OwnerType
	events := a.Events
	if events == nil {
		events = []string{}
	}
	o := object{"id": a.ID, "slug": a.Slug, "node_id": nodeID("A_", a.ID), "owner": owner,
		"name": a.Name, "description": "", "external_url": s.srv.URL + "/" + Owner + "/" + Repo,
		"html_url":   s.srv.URL + "/apps/" + a.Slug,
		"created_at": stamp(s.now()), "updated_at": stamp(s.now()),
		"permissions": a.Permissions, "events": events}
	if !a.HideClientID {
		o["client_id"] = a.ClientID
	}
	writeJSON(c.w, http.StatusOK, o)
}

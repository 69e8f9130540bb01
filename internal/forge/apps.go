package forge

import (
	"context"
	"errors"
	"fmt"
	"net/url"
)

// App is a GitHub App as GET /apps/{app_slug} ("Get an app") shows it.
type App struct {
	ID       int64  // the App ID, which a ruleset names as a status's integration_id
	Slug     string // the app's login is Slug + "[bot]"
	ClientID string // "" when GitHub left client_id out
	Name     string
	// Owner is the login of the account that owns the app, OwnerType
	// "Organization" or "User".
	Owner, OwnerType string
	// Permissions are the app's permissions by name ("contents": "write"),
	// every one GitHub sent. go-github v60's InstallationPermissions drops
	// the names it does not know, and its App has no client_id, so the
	// answer is decoded here.
	Permissions map[string]string
	// Events are the webhook events the app subscribes to.
	Events []string
}

// appJSON is an app as the REST API answers it (the "integration" schema).
type appJSON struct {
	ID       int64  `json:"id"`
	Slug     string `json:"slug"`
	ClientID string `json:"client_id"`
	Name     string `json:"name"`
	Owner    *struct {
		Login string `json:"login"`
		Type  string `json:"type"`
	} `json:"owner"`
	Permissions map[string]string `json:"permissions"`
	Events      []string          `json:"events"`
}

// ErrNoSlug is App's error for an empty slug: GET /apps/ with no slug is
// no request for an app (and GET /app, which go-github's Apps.Get sends
// then, needs the app's own JWT).
var ErrNoSlug = errors.New("no app slug")

// App returns the GitHub App slug. An app that does not exist, or that is
// private and not the token's to see, is a *NotFoundError (errors.Is
// ErrNotFound).
func (c *Client) App(ctx context.Context, slug string) (*App, error) {
	if slug == "" {
		return nil, ErrNoSlug
	}
	var j appJSON
	if _, err := c.get(ctx, "apps/"+url.PathEscape(slug), &j); err != nil {
		return nil, c.deny(fmt.Sprintf("get the GitHub App %q", slug), "access to the app", err)
	}
	a := &App{ID: j.ID, Slug: j.Slug, ClientID: j.ClientID, Name: j.Name, Permissions: j.Permissions, Events: j.Events}
	if j.Owner != nil {
		a.Owner, a.OwnerType = j.Owner.Login, j.Owner.Type
	}
	if a.Permissions == nil {
		a.Permissions = map[string]string{}
	}
	return a, nil
}

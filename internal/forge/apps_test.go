package forge_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/forge/githubtest"
)

func TestApp(t *testing.T) {
	c, srv, _ := setup(t)
	seeded := srv.AddApp(githubtest.App{Slug: "acme-posture", ID: 12345, Events: []string{"push", "pull_request"},
		// attestations: a permission go-github v60's InstallationPermissions does not know.
		Permissions: map[string]string{"contents": "write", "metadata": "read", "attestations": "read"}})
	ctx := context.Background()

	a, err := c.App(ctx, "acme-posture")
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != 12345 || a.Slug != "acme-posture" || a.ClientID != seeded.ClientID || a.ClientID == "" ||
		a.Owner != githubtest.Owner || a.OwnerType != "Organization" || !slices.Equal(a.Events, []string{"push", "pull_request"}) {
		t.Errorf("app = %+v", a)
	}
	if len(a.Permissions) != 3 || a.Permissions["attestations"] != "read" || a.Permissions["contents"] != "write" {
		t.Errorf("permissions = %v", a.Permissions)
	}

	if _, err := c.App(ctx, "nobody"); !errors.Is(err, forge.ErrNotFound) {
		t.Errorf("an unknown app: %v, want ErrNotFound", err)
	}
	if _, err := c.App(ctx, ""); !errors.Is(err, forge.ErrNoSlug) {
		t.Errorf("no slug: %v, want ErrNoSlug", err)
	}
	if n := srv.Calls("GET", "/apps/*"); n != 2 {
		t.Errorf("GET /apps/{slug} sent %d times, want 2 (none without a slug)", n)
	}
	if n := srv.Calls("GET", "/app"); n != 0 {
		t.Errorf("GET /app sent %d times: it needs the app's JWT", n)
	}
}

func TestReadSettingsReadsTheApp(t *testing.T) {
	c, srv, _ := setup(t)
	srv.AddApp(githubtest.App{Slug: "acme-posture"})
	ctx := context.Background()

	s, err := c.ReadSettings(ctx, forge.SettingsRequest{Environment: "posture", AppSlug: "acme-posture"})
	if err != nil {
		t.Fatal(err)
	}
	if s.App.Err != nil || s.App.Value == nil || s.App.Value.Slug != "acme-posture" {
		t.Errorf("app = %+v, %v", s.App.Value, s.App.Err)
	}
	s, err = c.ReadSettings(ctx, forge.SettingsRequest{Environment: "posture", AppSlug: "nobody"})
	if err != nil || !errors.Is(s.App.Err, forge.ErrNotFound) {
		t.Errorf("an unknown app: %v, part %v; want ErrNotFound kept in the part", err, s.App.Err)
	}
	srv.Inject(githubtest.Denied("GET", "/apps/*", ""))
	s, err = c.ReadSettings(ctx, forge.SettingsRequest{Environment: "posture", AppSlug: "acme-posture"})
	var d *forge.DeniedError
	if err != nil || !errors.As(s.App.Err, &d) || d.Permission() != "access to the app" {
		t.Errorf("a refusal: %v, part %v", err, s.App.Err)
	}
}

package githubtest_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/forge/githubtest"
)

// integrationRequired are the fields GitHub's OpenAPI description requires
// of the "integration" schema, the answer to GET /apps/{app_slug}.
var integrationRequired = []string{"id", "node_id", "owner", "name", "description", "external_url",
	"html_url", "created_at", "updated_at", "permissions", "events"}

func TestGetAnApp(t *testing.T) {
	srv := githubtest.New(t)
	a := srv.AddApp(githubtest.App{Slug: "acme-posture", Events: []string{"push"},
		Permissions: map[string]string{"contents": "write", "metadata": "read"}})
	srv.AddApp(githubtest.App{Slug: "bare", ID: 7, ClientID: "Iv1.bare", OwnerType: "User", Owner: "octocat", HideClientID: true})
	if a.ID == 0 || !strings.HasPrefix(a.ClientID, "Iv23li") || a.Name != "acme-posture" {
		t.Errorf("defaults: %+v", a)
	}

	status, _, body := do(t, srv, "GET", srv.URL()+"apps/acme-posture", "")
	var got map[string]any
	if err := json.Unmarshal([]byte(body), &got); err != nil || status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	for _, f := range integrationRequired {
		if _, ok := got[f]; !ok {
			t.Errorf("the answer lacks %q, which the integration schema requires: %s", f, body)
		}
	}
	owner, _ := got["owner"].(map[string]any)
	perms, _ := got["permissions"].(map[string]any)
	if got["slug"] != "acme-posture" || got["id"] != float64(a.ID) || got["client_id"] != a.ClientID ||
		owner["login"] != githubtest.Owner || owner["type"] != "Organization" ||
		len(perms) != 2 || perms["contents"] != "write" || !slices.Equal(anyStrings(got["events"]), []string{"push"}) {
		t.Errorf("answer %s", body)
	}

	_, _, body = do(t, srv, "GET", srv.URL()+"apps/BARE", "")
	got = nil
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	owner, _ = got["owner"].(map[string]any)
	perms, _ = got["permissions"].(map[string]any)
	if _, ok := got["client_id"]; ok || got["id"] != float64(7) || owner["type"] != "User" ||
		len(perms) != 1 || perms["metadata"] != "read" || got["events"] == nil || len(anyStrings(got["events"])) != 0 {
		t.Errorf("a bare app: %s", body)
	}
}

func TestGetAnAppFailsTheTestOnlyWhenUnexpected(t *testing.T) {
	for _, tc := range []struct {
		name, path string
		status     int
		why        string // "" when the test must not fail
	}{
		{"unknown slug", "apps/nobody", 404, ""},
		{"the authenticated app", "app", 404, "no such route"},
		{"every app", "apps", 404, "no such route"},
		{"a query", "apps/acme-posture?per_page=1", 404, "per_page is not one GitHub's OpenAPI description of apps/get-by-slug"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			srv := githubtest.New(rec)
			srv.AddApp(githubtest.App{Slug: "acme-posture"})
			status, _, body := do(t, srv, "GET", srv.URL()+tc.path, "")
			if status != tc.status || !strings.Contains(body, `"message":"Not Found"`) {
				t.Errorf("%d %s, want %d Not Found", status, body, tc.status)
			}
			errs := rec.errors()
			if tc.why == "" && len(errs) != 0 || tc.why != "" && (len(errs) != 1 || !strings.Contains(errs[0], tc.why)) {
				t.Errorf("test errors = %q, want %q", errs, tc.why)
			}
		})
	}
}

func anyStrings(v any) []string {
	list, _ := v.([]any)
	out := []string{}
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

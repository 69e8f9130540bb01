package cli

import "testing"

func TestReleaseOf(t *testing.T) {
	const sha = "8495bfc203c95f7d5e2f1f6f6a3b9cbd0d5e1a2b"
	tests := []struct {
		name          string
		build         Build
		actionRef     string
		version, ref  string
		warn, failure bool
	}{
		{name: "a release", build: Build{Version: "v1.2.3"}, version: "v1.2.3", ref: "v1.2.3"},
		{name: "a release candidate", build: Build{Version: "v1.3.0-rc.1"}, version: "v1.3.0-rc.1", ref: "v1.3.0-rc.1"},
		{name: "a release built from its checkout", build: Build{Version: "v1.2.3", Revision: sha}, version: "v1.2.3", ref: "v1.2.3"},
		{name: "a pseudo-version", build: Build{Version: "v0.0.0-20261123012238-8495bfc203c9", Revision: sha}, version: "v0.0.0-20261123012238-8495bfc203c9", ref: sha},
		{name: "a pseudo-version after a tag", build: Build{Version: "v1.2.4-0.20261123012238-8495bfc203c9", Revision: sha}, version: "v1.2.4-0.20261123012238-8495bfc203c9", ref: sha},
		{name: "a dirty checkout", build: Build{Version: "v0.0.0-20261123012238-8495bfc203c9+dirty", Revision: sha, Modified: true}, version: "v0.0.0-20261123012238-8495bfc203c9+dirty", ref: sha, warn: true},
		{name: "a commit without a version", build: Build{Version: "(devel)", Revision: sha}, version: sha, ref: sha},
		{name: "a pseudo-version from the proxy, no commit", build: Build{Version: "v0.0.0-20261123012238-8495bfc203c9"}, failure: true},
		{name: "nothing known", build: Build{Version: "(devel)"}, failure: true},
		{name: "nothing known, but a ref given", build: Build{Version: "(devel)"}, actionRef: "v2.0.0", version: "(devel)", ref: "v2.0.0"},
		{name: "a short commit is not refused as a ref", build: Build{Version: "(devel)"}, actionRef: "main", version: "(devel)", ref: "main"},
		{name: "a ref with a space", build: Build{Version: "v1.2.3"}, actionRef: "v1 2", failure: true},
		{name: "a ref climbing out", build: Build{Version: "v1.2.3"}, actionRef: "../x", failure: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, warning, err := releaseOf(tt.build, tt.actionRef)
			if (err != nil) != tt.failure {
				t.Fatalf("error %v, want failure %v", err, tt.failure)
			}
			if tt.failure {
				return
			}
			if r.Version != tt.version || r.Ref != tt.ref || (warning != "") != tt.warn {
				t.Errorf("got %+v, warning %q; want version %s, ref %s, warning %v", r, warning, tt.version, tt.ref, tt.warn)
			}
		})
	}
}

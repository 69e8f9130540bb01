package gitrepo

import (
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
)

func TestRemoteURL(t *testing.T) {
	dir := t.TempDir()
	g, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if u, err := r.RemoteURL("origin"); err != nil || u != "" {
		t.Errorf("no remote: %q, %v", u, err)
	}
	if _, err := g.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{"git@github.com:acme/reports.git", "https://example.com/x"}}); err != nil {
		t.Fatal(err)
	}
	r2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	if u, err := r2.RemoteURL("origin"); err != nil || u != "git@github.com:acme/reports.git" {
		t.Errorf("origin: %q, %v", u, err)
	}
}

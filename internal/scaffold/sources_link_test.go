package scaffold

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/posture-dev/posture/internal/codeowners"
)

const mallory = "id: mallory\nname: Mallory\ngithub: mallory\nemail: mallory@evil.example\ndepartment: IT\nrole: it-admin\nactive: true\n"

// linkedSources are the files posture upgrade and posture codeowners read
// to render what they write, each made a symbolic link to a file or folder
// outside the repository (Git keeps links, so a pull request can make one);
// link makes it and returns the folder outside.
var linkedSources = []struct {
	name, path string
	link       func(t *testing.T, dir string) string
}{
	{"people folder", "people", func(t *testing.T, dir string) string {
		outside := linkOut(t, dir, "people")
		write(t, outside, "mallory.yaml", mallory)
		return outside
	}},
	{"person file", "people/mallory.yaml", func(t *testing.T, dir string) string {
		outside := t.TempDir()
		write(t, outside, "mallory.yaml", mallory)
		if err := os.Symlink(filepath.Join(outside, "mallory.yaml"), filepath.Join(dir, "people", "mallory.yaml")); err != nil {
			t.Skip("no symbolic links here:", err)
		}
		return outside
	}},
	{"posture.yaml", "posture.yaml", func(t *testing.T, dir string) string {
		return filepath.Dir(linkOut(t, dir, "posture.yaml"))
	}},
	{"policy data", DataFile, func(t *testing.T, dir string) string {
		return filepath.Dir(linkOut(t, dir, DataFile))
	}},
}

// wantLinkError fails the test unless err is the *FolderError for the
// link p, saying to replace it with the real file or folder.
func wantLinkError(t *testing.T, err error, p string) {
	t.Helper()
	var fe *FolderError
	if !errors.As(err, &fe) || fe.Folder != p || !fe.Link {
		t.Fatalf("got %v, want a FolderError for the link %s", err, p)
	}
	what := "file"
	if p == "people" {
		what = "folder"
	}
	want := p + " is a symbolic link; posture reads and writes only the real " + what + "s of the repository, never through a link: replace the link with the " + what + " itself, then run posture again"
	if err.Error() != want {
		t.Errorf("got %q, want %q", err, want)
	}
}

// TestPlanUpgradeRefusesALinkedSource: posture upgrade renders the forms,
// the workflows and CODEOWNERS from posture.yaml, the policy data and
// people/; when one of them is a link it names it and plans nothing, with
// --force too, and changes nothing inside the repository or outside it.
func TestPlanUpgradeRefusesALinkedSource(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	for _, tt := range linkedSources {
		for _, force := range []bool{false, true} {
			t.Run(tt.name+map[bool]string{false: "", true: " force"}[force], func(t *testing.T) {
				dir := create(t, acme("v1.2.3"))
				// Something to write, were the upgrade to go ahead.
				if err := os.Remove(filepath.Join(dir, filepath.FromSlash(codeowners.File))); err != nil {
					t.Fatal(err)
				}
				outside := tt.link(t, dir)
				beforeIn, beforeOut := tree(t, dir), tree(t, outside)

				pl, err := PlanUpgrade(dir, acme("v1.2.3"), lockOf(t, dir), force)
				if err == nil {
					t.Fatalf("planned %q through the link, want a FolderError for %s", changes(pl), tt.path)
				}
				wantLinkError(t, err, tt.path)
				if after := tree(t, dir); !maps.Equal(beforeIn, after) {
					t.Errorf("the repository changed: %q, was %q", after, beforeIn)
				}
				if after := tree(t, outside); !maps.Equal(beforeOut, after) {
					t.Errorf("outside the repository changed: %q, was %q", after, beforeOut)
				}
			})
		}
	}
}

// TestCodeownersRefusesALinkedSource: what posture codeowners reads
// (ReadPeople) and what posture upgrade makes CODEOWNERS with (Codeowners)
// refuse a link among posture.yaml, the policy data, people/ and its files
// rather than own the repository by whom the link names.
func TestCodeownersRefusesALinkedSource(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	for _, tt := range linkedSources {
		t.Run(tt.name, func(t *testing.T) {
			dir := create(t, acme("v1.2.3"))
			tt.link(t, dir)
			people, err := ReadPeople(os.DirFS(dir))
			if err == nil {
				t.Fatalf("read %d people through the link, want a FolderError for %s", len(people), tt.path)
			}
			wantLinkError(t, err, tt.path)
			f, err := Codeowners(os.DirFS(dir))
			if err == nil {
				t.Fatalf("made %s through the link:\n%s", codeowners.File, f.Data)
			}
			wantLinkError(t, err, tt.path)
		})
	}
}

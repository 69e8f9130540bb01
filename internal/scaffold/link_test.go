package scaffold

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// linkedFolders are folders of posture's files that a clone may hold as
// symbolic links (Git keeps links), with a file posture manages inside.
var linkedFolders = []struct{ folder, file string }{
	{".github/ISSUE_TEMPLATE", ".github/ISSUE_TEMPLATE/id_ed25519"},
	{".github", ".github/workflows/id_ed25519"},
	{"schemas", "schemas/id_ed25519"},
	{"policies", "policies/id_ed25519.rego"},
}

const secret = "-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n"

// linkOut moves the folder of the repository at dir out of it, to a new
// folder elsewhere that it returns, and leaves a symbolic link to it.
func linkOut(t *testing.T, dir, folder string) string {
	t.Helper()
	outside := filepath.Join(t.TempDir(), "elsewhere")
	if err := os.Rename(filepath.Join(dir, filepath.FromSlash(folder)), outside); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, filepath.FromSlash(folder))); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	return outside
}

// tree is every file and link under dir (.git aside), and what each holds
// or points at; links are not followed.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case d.IsDir() && d.Name() == ".git":
			return filepath.SkipDir
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			out[rel] = "-> " + target
			return err
		case d.Type().IsRegular():
			data, err := os.ReadFile(p)
			out[rel] = string(data)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestPlanUpgradeRefusesALinkedFolder: posture upgrade (--dry-run or not,
// --force or not) reads nothing through a folder of the repository that is
// a link, or through one that is not a folder: it names it and stops.
func TestPlanUpgradeRefusesALinkedFolder(t *testing.T) {
	for _, tt := range linkedFolders {
		for _, force := range []bool{false, true} {
			t.Run(tt.folder+map[bool]string{false: "", true: " force"}[force], func(t *testing.T) {
				dir := create(t, acme("v1.2.3"))
				outside := linkOut(t, dir, tt.folder)
				rel := strings.TrimPrefix(tt.file, tt.folder+"/")
				if err := os.WriteFile(filepath.Join(outside, filepath.FromSlash(rel)), []byte(secret), 0o600); err != nil {
					t.Fatal(err)
				}
				// A lock that lists the file outside, as a pull request could
				// make it: the upgrade would print it in its diff and remove it.
				l := lockOf(t, dir)
				l.Files[tt.file] = Entry{Version: "v1.0.0", SHA256: strings.Repeat("0", 64)}
				write(t, dir, LockFile, string(l.Marshal()))
				before := tree(t, outside)

				pl, err := PlanUpgrade(dir, acme("v1.2.3"), lockOf(t, dir), force)
				if err == nil {
					t.Fatalf("planned %q through the link, want a FolderError for %s", changes(pl), tt.folder)
				}
				var fe *FolderError
				if !errors.As(err, &fe) || fe.Folder != tt.folder || !fe.Link {
					t.Fatalf("got %v, want a FolderError for the link %s", err, tt.folder)
				}
				if want := tt.folder + " is a symbolic link; posture reads and writes only the real folders of the repository, never through a link: replace the link with the folder itself, then run posture again"; err.Error() != want {
					t.Errorf("got %q, want %q", err, want)
				}
				if after := tree(t, outside); !maps.Equal(before, after) {
					t.Errorf("outside the repository changed: %q, was %q", after, before)
				}
			})
		}
	}
}

// TestPlanUpgradeRefusesAFileForAFolder: a file where posture keeps a
// folder is named, with the file posture keeps inside it.
func TestPlanUpgradeRefusesAFileForAFolder(t *testing.T) {
	dir := create(t, acme("v1.2.3"))
	if err := os.RemoveAll(filepath.Join(dir, "schemas")); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "schemas", "not a folder\n")
	_, err := PlanUpgrade(dir, acme("v1.2.3"), lockOf(t, dir), true)
	var fe *FolderError
	if !errors.As(err, &fe) || fe.Folder != "schemas" || fe.Link {
		t.Fatalf("got %v, want a FolderError for the file schemas", err)
	}
	if want := "schemas is not a folder, and posture keeps schemas/"; !strings.HasPrefix(err.Error(), want) || !strings.HasSuffix(err.Error(), " inside it: move it away, then run posture again") {
		t.Errorf("got %q, want it to start %q", err, want)
	}
}

// TestApplyRefusesALinkedFolder: a folder that became a link between the
// plan and its writing (or a plan made elsewhere) stops Apply before it
// writes or removes anything, inside the repository or outside it.
func TestApplyRefusesALinkedFolder(t *testing.T) {
	for _, tt := range linkedFolders {
		for _, force := range []bool{false, true} {
			t.Run(tt.folder+map[bool]string{false: "", true: " force"}[force], func(t *testing.T) {
				dir := create(t, acme("v1.2.3"))
				// In the folder, one of each change no force needs: a file
				// posture no longer ships (removed), a new one (added), an
				// unedited old one (updated).
				l := lockOf(t, dir)
				write(t, dir, tt.file, secret)
				l.Files[tt.file] = Entry{Version: "v1.0.0", SHA256: Sum([]byte(secret))}
				var inside []string
				for p := range l.Files {
					if strings.HasPrefix(p, tt.folder+"/") && p != tt.file {
						inside = append(inside, p)
					}
				}
				if len(inside) < 2 {
					t.Fatalf("posture keeps %q in %s, want two files at least", inside, tt.folder)
				}
				if err := os.Remove(filepath.Join(dir, filepath.FromSlash(inside[0]))); err != nil {
					t.Fatal(err)
				}
				delete(l.Files, inside[0])
				write(t, dir, inside[1], "from an older posture\n")
				l.Files[inside[1]] = Entry{Version: "v1.0.0", SHA256: Sum([]byte("from an older posture\n"))}
				write(t, dir, LockFile, string(l.Marshal()))

				pl, err := PlanUpgrade(dir, acme("v1.2.3"), lockOf(t, dir), force)
				if err != nil {
					t.Fatal(err)
				}
				if len(pl.Changes) < 3 || len(pl.Refused()) > 0 {
					t.Fatalf("changes %q, want an add, an update and a remove, none refused", changes(pl))
				}
				outside := linkOut(t, dir, tt.folder)
				beforeIn, beforeOut := tree(t, dir), tree(t, outside)

				err = pl.Apply(dir)
				var fe *FolderError
				if !errors.As(err, &fe) || fe.Folder != tt.folder || !fe.Link {
					t.Errorf("got %v, want a FolderError for the link %s", err, tt.folder)
				}
				if after := tree(t, outside); !maps.Equal(beforeOut, after) {
					t.Errorf("outside the repository changed: %q, was %q", after, beforeOut)
				}
				if after := tree(t, dir); !maps.Equal(beforeIn, after) {
					t.Errorf("the repository changed: %q, was %q", after, beforeIn)
				}
			})
		}
	}
}

package cli

import (
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/codeowners"
	"github.com/posture-dev/posture/internal/scaffold"
)

// linkTree is every file and link under dir (.git aside), and what each
// holds or points at; links are not followed.
func linkTree(t *testing.T, dir string) map[string]string {
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

// TestLinkedSourcesRefused: posture codeowners and posture upgrade stop
// with a usage error, naming the link, and write nothing, inside the
// repository or outside it, when people/, a person record, posture.yaml or
// the policy data is a symbolic link to a copy outside the repository.
func TestLinkedSourcesRefused(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	const mallory = "id: mallory\nname: Mallory\ngithub: mallory\nemail: mallory@evil.example\ndepartment: IT\nrole: it-admin\nactive: true\n"
	// moveOut moves p of dir to a new folder outside, leaves a link to it
	// and returns that folder.
	moveOut := func(t *testing.T, dir, p string) string {
		outside := t.TempDir()
		target := filepath.Join(outside, filepath.Base(p))
		if err := os.Rename(filepath.Join(dir, filepath.FromSlash(p)), target); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(p))); err != nil {
			t.Skip("no symbolic links here:", err)
		}
		return outside
	}
	sources := []struct {
		name, path, what string
		link             func(t *testing.T, dir string) string
	}{
		{"people folder", "people", "folder", func(t *testing.T, dir string) string {
			outside := moveOut(t, dir, "people")
			writeFile(t, filepath.Join(outside, "people"), "mallory.yaml", mallory)
			return outside
		}},
		{"person file", "people/mallory.yaml", "file", func(t *testing.T, dir string) string {
			outside := t.TempDir()
			writeFile(t, outside, "mallory.yaml", mallory)
			if err := os.Symlink(filepath.Join(outside, "mallory.yaml"), filepath.Join(dir, "people", "mallory.yaml")); err != nil {
				t.Skip("no symbolic links here:", err)
			}
			return outside
		}},
		{"posture.yaml", "posture.yaml", "file", func(t *testing.T, dir string) string { return moveOut(t, dir, "posture.yaml") }},
		{"policy data", scaffold.DataFile, "file", func(t *testing.T, dir string) string { return moveOut(t, dir, scaffold.DataFile) }},
		{"posture.lock", scaffold.LockFile, "file", func(t *testing.T, dir string) string { return moveOut(t, dir, scaffold.LockFile) }},
		// The link is refused before anything is read through it: what it
		// points at would otherwise speak first.
		{"posture.yaml that does not parse", "posture.yaml", "file", func(t *testing.T, dir string) string {
			outside := moveOut(t, dir, "posture.yaml")
			writeFile(t, outside, "posture.yaml", "organization: [\n")
			return outside
		}},
	}
	commands := map[string]func(dir string) []string{
		"codeowners": func(dir string) []string { return []string{"codeowners", "-C", dir} },
		"upgrade":    func(dir string) []string { return []string{"upgrade", "--action-ref", "v1.2.3", dir} },
	}
	for _, tt := range sources {
		for name, args := range commands {
			t.Run(name+" "+tt.name, func(t *testing.T) {
				dir := initRepo(t)
				// Something to write, were the command to go ahead.
				if err := os.Remove(filepath.Join(dir, filepath.FromSlash(codeowners.File))); err != nil {
					t.Fatal(err)
				}
				outside := tt.link(t, dir)
				beforeIn, beforeOut := linkTree(t, dir), linkTree(t, outside)

				code, stdout, stderr := run(t, nil, args(dir)...)
				want := tt.path + " is a symbolic link; posture reads and writes only the real " + tt.what + "s of the repository, never through a link: replace the link with the " + tt.what + " itself"
				if code != ExitUsage || !strings.Contains(stderr, want) {
					t.Errorf("posture %s: exit %d, want %d and %q\n%s%s", name, code, ExitUsage, want, stdout, stderr)
				}
				if after := linkTree(t, dir); !maps.Equal(beforeIn, after) {
					t.Errorf("the repository changed: %q, was %q", after, beforeIn)
				}
				if after := linkTree(t, outside); !maps.Equal(beforeOut, after) {
					t.Errorf("outside the repository changed: %q, was %q", after, beforeOut)
				}
			})
		}
	}
}

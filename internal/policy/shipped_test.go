package policy

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/posture-dev/posture"
)

const policyDir = "policies"

// shipped returns posture's policies as built in (the rules and their Rego
// tests) with testdata/policies/config/data.yaml as their data, plus files,
// so that no Go test depends on the data an organisation sets, the demo at
// the repository root included.
func shipped(t testing.TB, files map[string]string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	err := fs.WalkDir(posture.Defaults, policyDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") {
			return err
		}
		data, err := fs.ReadFile(posture.Defaults, p)
		fsys[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	fsys[policyDir+"/"+ConfigFile] = &fstest.MapFile{Data: []byte(file(t, policyDir+"/"+ConfigFile))}
	for name, src := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(src)}
	}
	return fsys
}

// writeShipped writes the built-in policies, with the built-in data, into a
// temporary repository and returns its root, for tests that change files.
func writeShipped(t testing.TB) string {
	t.Helper()
	root := t.TempDir()
	err := fs.WalkDir(posture.Defaults, policyDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(posture.Defaults, p)
		if err != nil {
			return err
		}
		dst := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// writeFile writes src to name under root.
func writeFile(t testing.TB, root, name, src string) {
	t.Helper()
	dst := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

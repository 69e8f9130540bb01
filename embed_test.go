package posture

import (
	"bytes"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestDefaults(t *testing.T) {
	var files []string
	err := fs.WalkDir(Defaults, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := fstest.TestFS(Defaults, files...); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"policies/config/data.yaml", "policies/lib.rego", "policies/lib_test.rego", "schemas/report.schema.json"} {
		if !slices.Contains(files, want) {
			t.Errorf("Defaults lacks %s; it holds %q", want, files)
		}
	}
	for _, p := range files {
		if strings.HasPrefix(p, "defaults/") || strings.HasPrefix(p, "policies/exceptions/") || strings.HasPrefix(p, "policies/local/") {
			t.Errorf("Defaults holds %s", p)
		}
	}
	got, err := fs.ReadFile(Defaults, "policies/config/data.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("defaults/policies/config/data.yaml")
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("Defaults' policies/config/data.yaml is not defaults/policies/config/data.yaml (%v)", err)
	}
}

func TestLayers(t *testing.T) {
	l := layers{
		fstest.MapFS{"a/x": {Data: []byte("top")}, "a/b/y": {Data: []byte("y")}},
		fstest.MapFS{"a/x": {Data: []byte("bottom")}, "a/z": {Data: []byte("z")}},
	}
	if err := fstest.TestFS(l, "a/x", "a/b/y", "a/z"); err != nil {
		t.Fatal(err)
	}
	if b, _ := fs.ReadFile(l, "a/x"); string(b) != "top" {
		t.Errorf("a/x = %q, want the top layer's", b)
	}
	if entries, _ := fs.ReadDir(l, "a"); len(entries) != 3 {
		t.Errorf("a lists %v, want b, x and z", entries)
	}
}

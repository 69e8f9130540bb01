package scaffold

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/posture-dev/posture/internal/settings"
)

// TestSelfGitHub: the templates are the one source of posture's own
// workflows, forms and pull-request templates. Rendered for this repository
// (the action in ./, the timezone of its posture.yaml) they reproduce its .github files byte for byte, all but ci.yml
// (posture's own Go tests), so the two can never drift apart. A change to
// one of those files is made in templates/shared/ and rendered.
func TestSelfGitHub(t *testing.T) {
	root := "../.."
	s, _, err := settings.Load(os.DirFS(root))
	if err != nil {
		t.Fatal(err)
	}
	files, err := SelfGitHub(s.Timezone)
	if err != nil {
		t.Fatal(err)
	}
	var rendered []string
	for _, f := range files {
		rendered = append(rendered, f.Path)
		have, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f.Path)))
		if err != nil {
			t.Errorf("%s: %v", f.Path, err)
			continue
		}
		if !bytes.Equal(have, f.Data) {
			t.Errorf("%s differs from its template in internal/scaffold/templates/shared; make the change there (- this repository's file, + the template's):\n%s", f.Path, Diff(f.Path, have, f.Data))
		}
	}
	// Every file of those folders has its template.
	for _, dir := range []string{".github/workflows", ".github/ISSUE_TEMPLATE", ".github/PULL_REQUEST_TEMPLATE"} {
		entries, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(dir)))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			p := dir + "/" + e.Name()
			if p != ".github/workflows/ci.yml" && !slices.Contains(rendered, p) {
				t.Errorf("%s has no template in internal/scaffold/templates/shared", p)
			}
		}
	}
}

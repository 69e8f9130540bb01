package scaffold

import (
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

var (
	pinnedRe = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+@[0-9a-f]{40}$`)
	// untrustedRe are expressions a shell must never see.
	untrustedRe = regexp.MustCompile(`\$\{\{[^}]*(github\.event|github\.head_ref|inputs\.|steps\.[^}]*outputs)[^}]*\}\}`)
)

// TestOrganisationWorkflows: the workflows of a new repository hold to the
// rules of posture's own: no permission at the top, third-party actions
// pinned by commit with their tag beside, posture's action at the pinned
// release, nothing built from the repository, no untrusted expression in a
// script.
func TestOrganisationWorkflows(t *testing.T) {
	files, err := ManagedFiles(acme("v1.2.3"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		if !strings.HasPrefix(f.Path, ".github/workflows/") {
			continue
		}
		n++
		var wf struct {
			Permissions any `yaml:"permissions"`
			Jobs        map[string]struct {
				Steps []struct {
					Uses string `yaml:"uses"`
					Run  string `yaml:"run"`
				} `yaml:"steps"`
			} `yaml:"jobs"`
		}
		if err := yaml.Unmarshal(f.Data, &wf); err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		if m, ok := wf.Permissions.(map[string]any); !ok || len(m) != 0 {
			t.Errorf("%s: permissions %v at the top, want {}", f.Path, wf.Permissions)
		}
		for jn, j := range wf.Jobs {
			for _, s := range j.Steps {
				switch {
				case s.Uses == "":
				case s.Uses == Action+"@v1.2.3":
					if !strings.Contains(string(f.Data), "uses: "+s.Uses+" # v1.2.3\n") {
						t.Errorf("%s %s: %s has no version comment", f.Path, jn, s.Uses)
					}
				case strings.HasPrefix(s.Uses, "./") || strings.HasPrefix(s.Uses, Action):
					t.Errorf("%s %s: uses %s, not posture's pinned action", f.Path, jn, s.Uses)
				case !pinnedRe.MatchString(s.Uses) || !strings.Contains(string(f.Data), s.Uses+" # v"):
					t.Errorf("%s %s: %s is not pinned by commit with its tag in a comment", f.Path, jn, s.Uses)
				}
				if strings.Contains(s.Run, "go ") || strings.Contains(s.Run, "cmd/posture") || strings.Contains(s.Run, "RUNNER_TEMP/posture") {
					t.Errorf("%s %s: builds or runs code of the repository:\n%s", f.Path, jn, s.Run)
				}
				if untrustedRe.MatchString(s.Run) {
					t.Errorf("%s %s: an untrusted expression inside run:\n%s", f.Path, jn, s.Run)
				}
			}
		}
	}
	if n != 8 {
		t.Errorf("%d workflows, want 8", n)
	}
}

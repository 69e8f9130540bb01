package doctor

import "testing"

// TestGlob matches ref patterns as GitHub's fnmatch does, classes and
// escapes included, so that a ruleset excluding refs/heads/[m]ain is not
// taken for one that protects main.
func TestGlob(t *testing.T) {
	for _, tt := range []struct {
		pattern, name string
		want          bool
	}{
		{"refs/heads/main", "refs/heads/main", true},
		{"refs/heads/*", "refs/heads/main", true},
		{"refs/heads/*", "refs/heads/a/b", false},
		{"refs/heads/**", "refs/heads/a/b", true},
		{"refs/heads/ma?n", "refs/heads/main", true},
		{"refs/heads/[m]ain", "refs/heads/main", true},
		{"refs/heads/[a-m]ain", "refs/heads/main", true},
		{"refs/heads/[n-z]ain", "refs/heads/main", false},
		{"refs/heads/[!m]ain", "refs/heads/main", false},
		{"refs/heads/[^m]ain", "refs/heads/main", false},
		{"refs/heads/[!m]ain", "refs/heads/rain", true},
		{"refs/heads/[!x]", "refs/heads//", false},
		{"refs/heads/[]m]ain", "refs/heads/main", true},
		{"refs/heads/[]m]ain", "refs/heads/]ain", true},
		{"refs/heads/[m-]ain", "refs/heads/-ain", true},
		{"refs/heads/ma\\in", "refs/heads/main", true},
		{"refs/heads/ma\\*", "refs/heads/main", false},
		{"refs/heads/ma\\*", "refs/heads/ma*", true},
		{"refs/heads/[main", "refs/heads/[main", true},
		{"refs/heads/[main", "refs/heads/main", false},
		{"refs/heads/m.in", "refs/heads/main", false},
	} {
		if got := glob(tt.pattern, tt.name); got != tt.want {
			t.Errorf("glob(%q, %q) = %v, want %v", tt.pattern, tt.name, got, tt.want)
		}
	}
}

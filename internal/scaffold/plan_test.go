package scaffold

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func read(t *testing.T, dir, p string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func write(t *testing.T, dir, p, text string) {
	t.Helper()
	full := filepath.Join(dir, filepath.FromSlash(p))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func lockOf(t *testing.T, dir string) *Lock {
	t.Helper()
	l, err := ReadLock(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// changes lists a plan's changes as "op path" and "op path refused".
func changes(pl *Plan) []string {
	var out []string
	for _, c := range pl.Changes {
		s := string(c.Op) + " " + c.Path
		if c.Refused {
			s += " refused"
		}
		out = append(out, s)
	}
	return out
}

// TestPlanUpgrade: what an upgrade does to a repository made by Create,
// after the organisation or a newer posture changed something.
func TestPlanUpgrade(t *testing.T) {
	const rule = "policies/mac.rego"
	tests := []struct {
		name    string
		change  func(t *testing.T, dir string) // what happened since init
		version string                         // the posture upgrading
		force   bool
		tz      string // the timezone the upgrade renders, if not the one of init
		want    []string
	}{
		{name: "fresh: nothing to do", version: "v1.2.3"},
		{name: "an edited rule is refused", version: "v1.2.3",
			change: func(t *testing.T, dir string) { write(t, dir, rule, read(t, dir, rule)+"\n# ours\n") },
			want:   []string{"update " + rule + " refused"}},
		{name: "--force replaces it", version: "v1.2.3", force: true,
			change: func(t *testing.T, dir string) { write(t, dir, rule, read(t, dir, rule)+"\n# ours\n") },
			want:   []string{"update " + rule + " refused"}},
		{name: "a deleted workflow is refused", version: "v1.2.3",
			change: func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, ".github/workflows/remind.yml")) },
			want:   []string{"add .github/workflows/remind.yml refused"}},
		{name: "a file posture did not write, where posture now ships one", version: "v1.2.3",
			change: func(t *testing.T, dir string) {
				l := lockOf(t, dir)
				delete(l.Files, rule)
				write(t, dir, LockFile, string(l.Marshal()))
				write(t, dir, rule, "package posture.rules.mac\n")
			},
			want: []string{"update " + rule + " refused"}},
		{name: "a file identical to posture's is taken into the lock", version: "v1.2.3",
			change: func(t *testing.T, dir string) {
				l := lockOf(t, dir)
				delete(l.Files, rule)
				write(t, dir, LockFile, string(l.Marshal()))
			}},
		{name: "a file posture no longer ships is removed", version: "v1.2.3",
			change: func(t *testing.T, dir string) {
				write(t, dir, "policies/old.rego", "package old\n")
				l := lockOf(t, dir)
				l.Files["policies/old.rego"] = Entry{Version: "v1.0.0", SHA256: Sum([]byte("package old\n"))}
				write(t, dir, LockFile, string(l.Marshal()))
			},
			want: []string{"remove policies/old.rego"}},
		{name: "the organisation's timezone changed", version: "v1.2.3", tz: "Asia/Tokyo",
			want: []string{"update .github/workflows/monthly.yml", "update .github/workflows/overview.yml", "update .github/workflows/remind.yml"}},
		{name: "a new person changes CODEOWNERS", version: "v1.2.3",
			change: func(t *testing.T, dir string) {
				write(t, dir, "people/it-two.yaml", strings.ReplaceAll(read(t, dir, "people/it-lead.yaml"), "it-lead", "it-two"))
			},
			want: []string{"update .github/CODEOWNERS"}},
		{name: "a data key the organisation lacks", version: "v1.2.3",
			change: func(t *testing.T, dir string) {
				write(t, dir, DataFile, strings.Replace(read(t, dir, DataFile), "quick_scan_platforms: [windows]\n", "", 1))
			},
			want: []string{"merge " + DataFile}},
		{name: "people, devices, reports, exceptions and local rules are never touched", version: "v1.2.3",
			change: func(t *testing.T, dir string) {
				for _, p := range []string{"people/x.txt", "devices/x.txt", "reports/2026-11/x.txt", "policies/exceptions/x.txt", "policies/local/x.rego", "schemas/local/x.json"} {
					write(t, dir, p, "ours\n")
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := create(t, acme("v1.2.3"))
			if tt.change != nil {
				tt.change(t, dir)
			}
			before := snapshot(t, dir)
			p := acme(tt.version)
			if tt.tz != "" {
				p.Timezone = tt.tz
			}
			pl, err := PlanUpgrade(dir, p, lockOf(t, dir), tt.force)
			if err != nil {
				t.Fatal(err)
			}
			if got := changes(pl); !slices.Equal(got, tt.want) {
				t.Errorf("changes %q, want %q", got, tt.want)
			}
			if !bytes.Equal(snapshot(t, dir), before) {
				t.Fatal("planning wrote something")
			}
			if len(pl.Refused()) > 0 && !tt.force {
				if err := pl.Apply(dir); err == nil {
					t.Error("a plan with refused changes was applied")
				}
				return
			}
			if err := pl.Apply(dir); err != nil {
				t.Fatal(err)
			}
			again, err := PlanUpgrade(dir, p, lockOf(t, dir), false)
			if err != nil {
				t.Fatal(err)
			}
			if !again.Empty() {
				t.Errorf("a second upgrade finds %q to do", changes(again))
			}
		})
	}
}

// snapshot is every file under dir but .git, for comparing.
func snapshot(t *testing.T, dir string) []byte {
	t.Helper()
	var b bytes.Buffer
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		data, err := os.ReadFile(p)
		b.WriteString(p + "\n")
		b.Write(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestUpgradeFromOlder: a repository written by an older posture (its
// stamps and lock rewritten to say v1.2.2, its workflows pinning v1.2.2)
// is brought to v1.2.3, every managed file with a diff of its stamp and
// pin; the organisation's data keeps its values.
func TestUpgradeFromOlder(t *testing.T) {
	dir := create(t, acme("v1.2.3"))
	l := lockOf(t, dir)
	for p := range l.Files {
		old := strings.ReplaceAll(read(t, dir, p), "v1.2.3", "v1.2.2")
		write(t, dir, p, old)
		l.Files[p] = Entry{Version: "v1.2.2", SHA256: Sum([]byte(old))}
	}
	l.Posture, l.Action = "v1.2.2", Action+"@v1.2.2"
	write(t, dir, LockFile, string(l.Marshal()))
	write(t, dir, DataFile, strings.Replace(read(t, dir, DataFile), "full_scan_max_days: 35", "full_scan_max_days: 14", 1))

	pl, err := PlanUpgrade(dir, acme("v1.2.3"), lockOf(t, dir), false)
	if err != nil {
		t.Fatal(err)
	}
	var updated int
	for _, c := range pl.Changes {
		if c.Op != Update || c.Refused || c.Note != "from posture v1.2.2" {
			t.Errorf("%s %s: %s (refused %v)", c.Op, c.Path, c.Note, c.Refused)
		}
		updated++
	}
	if updated != countStamped(l) {
		t.Errorf("%d files updated, want the %d that carry a version", updated, countStamped(l))
	}
	var out bytes.Buffer
	pl.Write(&out)
	for _, want := range []string{
		"posture upgrade from posture v1.2.2 to v1.2.3, whose workflows call posture-dev/posture@v1.2.3\n",
		"  update  .github/workflows/ci.yml: from posture v1.2.2\n",
		"diff --git a/.github/workflows/ci.yml b/.github/workflows/ci.yml\n",
		"-        uses: posture-dev/posture@v1.2.2 # v1.2.2\n+        uses: posture-dev/posture@v1.2.3 # v1.2.3\n",
		"-# posture v1.2.2: one of posture's rules",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the plan lacks %q:\n%s", want, out.String())
		}
	}
	if err := pl.Apply(dir); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(read(t, dir, DataFile), "full_scan_max_days: 14") {
		t.Error("the upgrade changed the organisation's threshold")
	}
	if got := lockOf(t, dir); got.Posture != "v1.2.3" || got.Files["policies/mac.rego"].Version != "v1.2.3" || got.Files["schemas/report.schema.json"].Version != "v1.2.2" {
		t.Errorf("lock after the upgrade: %+v", got)
	}
}

// countStamped counts the managed files whose text names their version:
// all but the JSON schemas.
func countStamped(l *Lock) int {
	n := 0
	for p := range l.Files {
		if !strings.HasSuffix(p, ".json") {
			n++
		}
	}
	return n
}

func TestManageable(t *testing.T) {
	for p, want := range map[string]bool{
		"policies/mac.rego": true, "schemas/report.schema.json": true, ".github/workflows/ci.yml": true,
		".github/ISSUE_TEMPLATE/x.yml": true, ".github/PULL_REQUEST_TEMPLATE/x.md": true,
		"policies/config/data.yaml": false, "policies/local/x.rego": false, "policies/exceptions/x.yaml": false,
		"people/a.yaml": false, "devices/a.yaml": false, "reports/2026-11/a.yaml": false, "posture.yaml": false,
		"posture.lock": false, "README.md": false, ".github/CODEOWNERS": false, ".git/config": false,
		"../x.rego": false, "/etc/passwd": false, "policies/../people/a.rego": false, "schemas/": false,
		"policies/sub/x.rego": false, ".github/workflows/sub/x.yml": false,
	} {
		if got := Manageable(p); got != want {
			t.Errorf("Manageable(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestReadLock(t *testing.T) {
	dir := create(t, acme("v1.2.3"))
	l := lockOf(t, dir)
	if len(l.Files) == 0 || l.Repository != "acme/device-reports" || l.Data[DataFile] != "v1.2.3" {
		t.Fatalf("lock %+v", l)
	}
	if again := l.Marshal(); string(again) != read(t, dir, LockFile) {
		t.Error("the lock does not write back as it was read")
	}
	sum := strings.Repeat("0", 64)
	for name, text := range map[string]string{
		"a person":   "files:\n  people/it-lead.yaml: {version: v1, sha256: " + sum + "}\n",
		"a way out":  "files:\n  ../x.rego: {version: v1, sha256: " + sum + "}\n",
		"no hash":    "files:\n  policies/mac.rego: {version: v1}\n",
		"other data": "data:\n  policies/local/data.yaml: v1\n",
		"not YAML":   "files: [\n",
	} {
		write(t, dir, LockFile, text)
		if _, err := ReadLock(os.DirFS(dir)); err == nil {
			t.Errorf("%s: a lock listing it was accepted", name)
		}
	}
}

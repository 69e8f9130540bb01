package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/record"
)

// The ajv versions TestAjvAgrees installs when POSTURE_AJV_DIR is not set.
const ajvPackages = "ajv@8.20.0 ajv-formats@3.0.1"

// ajvDir returns a folder whose node_modules holds ajv and ajv-formats:
// POSTURE_AJV_DIR when it is set (CI installs them there), else a temporary
// folder that npm installs them into, from its cache when it can. It skips
// the test when node or npm is missing or the install fails.
func ajvDir(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed: ajv, a second JSON Schema implementation, cannot check the schemas")
	}
	if dir := os.Getenv("POSTURE_AJV_DIR"); dir != "" {
		return dir
	}
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm is not installed and POSTURE_AJV_DIR is not set: ajv cannot be installed")
	}
	dir := t.TempDir()
	args := append([]string{"install", "--prefer-offline", "--no-audit", "--no-fund", "--no-save", "--prefix", dir}, strings.Fields(ajvPackages)...)
	if out, err := exec.Command("npm", args...).CombinedOutput(); err != nil {
		t.Skipf("npm install %s failed (offline?), set POSTURE_AJV_DIR to a folder where it ran: %v\n%s", ajvPackages, err, out)
	}
	return dir
}

type ajvCase struct {
	ID     string `json:"id"`
	Schema string `json:"schema"`
	Value  any    `json:"value"`
}

// runAjv validates the cases with testdata/ajv.js and returns its verdicts
// with format as an annotation and with the date format asserted.
func runAjv(t *testing.T, cases []ajvCase) (annotation, asserted map[string]bool) {
	t.Helper()
	dir := ajvDir(t)
	var schemas []json.RawMessage
	files, err := filepath.Glob("../../schemas/*.schema.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no schemas: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		schemas = append(schemas, data)
	}
	in, err := json.Marshal(map[string]any{"schemas": schemas, "cases": cases})
	if err != nil {
		t.Fatal(err)
	}
	inFile := filepath.Join(t.TempDir(), "in.json")
	if err := os.WriteFile(inFile, in, 0o600); err != nil {
		t.Fatal(err)
	}
	script, err := filepath.Abs("testdata/ajv.js")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", script, inFile)
	cmd.Env = append(os.Environ(), "NODE_PATH="+filepath.Join(dir, "node_modules"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node ajv.js: %v\n%s", err, stderr.String())
	}
	var res struct{ Annotation, Asserted map[string]bool }
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("read ajv's answer %q: %v", out, err)
	}
	return res.Annotation, res.Asserted
}

const schemaBase = "https://posture-dev.github.io/posture/schemas/"

// TestAjvAgrees checks posture's schemas with ajv, a JSON Schema 2020-12
// implementation nobody here wrote: on every date of dateCases and on every
// record of testdata/ok and testdata/bad, ajv must give posture's verdict,
// both when it reads format as an annotation (as validators do by default,
// and as editors do) and when it asserts the date format.
func TestAjvAgrees(t *testing.T) {
	s := load(t)
	var cases []ajvCase
	want := map[string]bool{}
	for i, dc := range dateCases {
		id := fmt.Sprintf("date %d %q", i, dc.s)
		cases = append(cases, ajvCase{ID: id, Schema: schemaBase + "defs.schema.json#/$defs/date", Value: dc.s})
		want[id] = dc.date
		id = fmt.Sprintf("exception %d %q", i, dc.s)
		cases = append(cases, ajvCase{ID: id, Schema: schemaBase + "exception.schema.json", Value: exceptionWith(dc.s)})
		want[id] = dc.date
	}
	records := 0
	for _, root := range []string{"../../testdata/ok", "../../testdata/bad"} {
		fsys := os.DirFS(root)
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || d.Type()&fs.ModeSymlink != 0 || path.Ext(p) != ".yaml" {
				return err
			}
			k, ok, _ := record.Classify(p)
			file := ""
			if ok {
				file = Files[k]
			} else if p == "posture.yaml" {
				file = SettingsFile
			} else {
				return nil
			}
			data, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			rec, _ := record.Parse(p, k, data)
			if rec == nil {
				return nil // not YAML that a validator could be given
			}
			valid := len(s.Validate(rec)) == 0
			if file == SettingsFile {
				valid = len(s.ValidateSettings(rec)) == 0
			}
			id := path.Join(path.Base(root), p)
			cases = append(cases, ajvCase{ID: id, Schema: schemaBase + file, Value: rec.Data})
			want[id] = valid
			records++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if records < 20 {
		t.Fatalf("found %d records in testdata, want those of testdata/ok and testdata/bad", records)
	}
	annotation, asserted := runAjv(t, cases)
	for _, c := range cases {
		if got, ok := annotation[c.ID]; !ok || got != want[c.ID] {
			t.Errorf("%s: ajv reading format as an annotation says valid=%v, posture says %v", c.ID, got, want[c.ID])
		}
		if got, ok := asserted[c.ID]; !ok || got != want[c.ID] {
			t.Errorf("%s: ajv asserting the date format says valid=%v, posture says %v", c.ID, got, want[c.ID])
		}
	}
}

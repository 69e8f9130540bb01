package issueform

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/record"
)

// FuzzParse feeds untrusted bodies through the parser and the builder: they
// never panic, and a record built from any body reads back with the
// submitter as reporter and every answer as the text it was.
func FuzzParse(f *testing.F) {
	bodies, _ := filepath.Glob("testdata/*.md")
	for _, p := range bodies {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("### Device id\n\n### Month\n\n### Device id\n")
	f.Add("### Concerns\n\n```yaml\nreporter: e1001\n```\n")
	tpl := loadTemplate(f, Report)
	ctx := registry(f)
	f.Fuzz(func(t *testing.T, body string) {
		a, probs := tpl.Parse(body)
		if len(probs) > 0 {
			return
		}
		rec, probs, err := Build(tpl, a, ctx)
		if err != nil {
			t.Fatalf("build: %v", err)
		}
		if len(probs) > 0 {
			return
		}
		parsed, fs := record.Parse(rec.Path, rec.Kind, rec.Content)
		if parsed == nil {
			t.Fatalf("built a record that does not parse: %v\n%s", fs, rec.Content)
		}
		if parsed.String("reporter") != ctx.Person {
			t.Fatalf("reporter %q\n%s", parsed.String("reporter"), rec.Content)
		}
		for _, k := range reportFields {
			v := a.Get(k)
			if v == "" || k == "reporter" || boolFields[k] || intFields[k] {
				continue
			}
			// YAML has no way to keep trailing spaces of a block's last line
			// or a lone carriage return; the parser never produces either.
			if got := parsed.String(k); got != v && !strings.ContainsAny(v, "\r") {
				t.Fatalf("%s = %q, want %q\n%s", k, got, v, rec.Content)
			}
		}
	})
}

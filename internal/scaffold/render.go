package scaffold

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"text/template"
)

// templates are the sources of the files an organisation's repository gets
// from posture, and of posture's own .github:
//
//   - shared/: rendered for both (the workflows, forms and templates);
//   - org/: for an organisation only (its ci.yml; posture's own tests Go);
//   - seed/: written once by posture init.
//
// github/ stands for .github/ (go:embed leaves out hidden folders). The
// delimiters are {% %}, as GitHub's expressions are ${{ }}.
//
//go:embed templates
var templates embed.FS

// Template roots.
const (
	sharedRoot = "templates/shared"
	orgRoot    = "templates/org"
	seedRoot   = "templates/seed"
)

// view is what the templates see.
type view struct {
	Params
	// Uses is what a workflow step's uses: names for posture's action:
	// "./" for posture's own repository, else the pinned action with its
	// version in a comment.
	Uses string
	// Bin runs posture in a step after it is built.
	Bin string
	// SSID is the corporate network the forms suggest; OtherSSIDs the rest.
	SSID       string
	OtherSSIDs []string
	// Guide names the employee guide in the forms; GuideURL links it.
	Guide, GuideURL string
	// Docs is the URL of posture's docs/ at the pinned ref.
	Docs string
	// Ref is the pinned tag or commit.
	Ref string
	// DueDayOrdinal is "10th".
	DueDayOrdinal string
}

func newView(p Params) view {
	v := view{Params: p, Ref: p.Release.Ref, DueDayOrdinal: ordinal(p.DueDay)}
	if len(p.SSIDs) > 0 {
		v.SSID, v.OtherSSIDs = p.SSIDs[0], p.SSIDs[1:]
	}
	v.Docs = "https://github.com/" + Action + "/blob/" + p.Release.Ref + "/docs"
	if p.Self {
		v.Uses, v.Bin = "./", `"$RUNNER_TEMP/posture"`
		v.Guide = "`docs/employee.md`"
		v.GuideURL = "https://github.com/" + Action + "/blob/main/docs/employee.md"
		return v
	}
	v.Uses = Action + "@" + p.Release.Ref + " # " + p.Release.Version
	v.Bin = "posture"
	v.Guide = "`README.md`"
	v.GuideURL = "https://github.com/" + p.Repo + "/blob/main/README.md"
	return v
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

var funcs = template.FuncMap{"yaml": yamlScalar}

// renderTree renders every template under root, each to the path it has
// below root with github/ standing for .github/.
func renderTree(root string, v view) ([]File, error) {
	var out []File
	err := fs.WalkDir(templates, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel := strings.TrimPrefix(p, root+"/")
		if rest, ok := strings.CutPrefix(rel, "github/"); ok {
			rel = ".github/" + rest
		}
		data, err := renderOne(p, v)
		if err != nil {
			return err
		}
		out = append(out, File{Path: rel, Data: data})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", root, err)
	}
	return out, nil
}

func renderOne(p string, v view) ([]byte, error) {
	src, err := fs.ReadFile(templates, p)
	if err != nil {
		return nil, err
	}
	t, err := template.New(p).Delims("{%", "%}").Funcs(funcs).Option("missingkey=error").Parse(string(src))
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// SelfGitHub renders the .github files of posture's own repository from the
// templates, for the timezone of its posture.yaml: what its workflows,
// forms and templates must be, byte for byte (its ci.yml, posture's own Go
// tests, is its own). Its forms suggest CORP-WIFI and show d-e1004-laptop,
// the demo's, whatever the demo's data says: the demo changing its SSIDs
// changes no file of posture's.
func SelfGitHub(timezone string) ([]File, error) {
	p := Params{Self: true, Timezone: timezone, SSIDs: []string{"CORP-WIFI"}, ExampleDevice: "d-e1004-laptop", Release: Release{Ref: "main"}}
	return renderTree(sharedRoot, newView(p))
}

// plainRe is text YAML reads back as the same string without quotes, in a
// block or a flow collection alike.
var plainRe = regexp.MustCompile(`^[A-Za-z.(]([A-Za-z0-9 ._/()@+-]*[A-Za-z0-9._/)])?$`)

var yamlWords = []string{"y", "yes", "n", "no", "true", "false", "on", "off", "null", ".inf", ".nan"}

// yamlScalar writes s as a YAML scalar that reads back as the string s:
// plain when that is safe, else double-quoted (a JSON string is one).
func yamlScalar(s string) string {
	if plainRe.MatchString(s) && !slices.Contains(yamlWords, strings.ToLower(s)) && !strings.Contains(s, "  ") {
		return s
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

package rules_test

import (
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/posture-dev/posture"
	"github.com/posture-dev/posture/internal/check"
	"github.com/posture-dev/posture/internal/policy"
	"github.com/posture-dev/posture/internal/rules"
)

// ruleShape is what a rule id looks like: family.name.
var ruleShape = regexp.MustCompile(`^[a-z]+(\.[a-z][a-z0-9_]*)+$`)

// notRuleShape is what has a rule's shape but is a file name, a domain or a
// Rego reference.
var notRuleShape = regexp.MustCompile(`\.(ya?ml|json|md|go|mod|sum|lock|rego|html|csv|txt|sh|js|css|tmpl|sarif|out|sig|com|org|example)$|^data\.`)

// notRules are strings of a rule's shape in posture's code that are no rule.
var notRules = map[string]string{
	"vcs.modified":    "a key of Go's build information",
	"vcs.revision":    "a key of Go's build information",
	"vcs.time":        "a key of Go's build information",
	"custom.id":       "a key of a rule's METADATA, named in an error",
	"custom.severity": "a key of a rule's METADATA, named in an error",
	"input.kind":      "the input field whose guards decide a rule package's kinds (internal/policy/kinds.go)",
}

// skipDirs are folders of posture's code whose strings are no findings'
// rules: doctor's items have ids of their own (docs/doctor.md), and this
// package's strings are the list under test.
var skipDirs = map[string]bool{"internal/doctor": true, "internal/rules": true}

// regoRules are the ids of the Rego rules posture ships.
func regoRules(t *testing.T) map[string]bool {
	t.Helper()
	e, err := policy.Load(posture.Defaults, "policies")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, r := range e.Rules() {
		ids[r.ID] = true
	}
	return ids
}

func builtinIDs() map[string]bool {
	ids := map[string]bool{}
	for _, r := range rules.Builtin() {
		ids[r.ID] = true
	}
	return ids
}

// emitted reads posture's Go code (not its tests) and returns every string
// that is, or looks like, a rule id, with the place it was found: strings
// of a rule's shape, the value of a Rule field, the rule of finding.At and
// the value of a constant named rule....
func emitted(t *testing.T) map[string]string {
	t.Helper()
	found := map[string]string{}
	fset := token.NewFileSet()
	for _, top := range []string{"../../internal", "../../cmd"} {
		err := filepath.WalkDir(top, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel := strings.TrimPrefix(filepath.ToSlash(p), "../../")
			if d.IsDir() && (d.Name() == "testdata" || skipDirs[rel]) {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			add := func(e ast.Expr, always bool) {
				lit, ok := e.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil || s == "" || (!always && (!ruleShape.MatchString(s) || notRuleShape.MatchString(s))) {
					return
				}
				if _, seen := found[s]; !seen {
					pos := fset.Position(lit.Pos())
					found[s] = rel + ":" + strconv.Itoa(pos.Line)
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.BasicLit:
					add(n, false)
				case *ast.KeyValueExpr:
					if k, ok := n.Key.(*ast.Ident); ok && strings.EqualFold(k.Name, "rule") {
						add(n.Value, true)
					}
				case *ast.CallExpr:
					if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "At" && len(n.Args) > 1 {
						if x, ok := sel.X.(*ast.Ident); ok && x.Name == "finding" {
							add(n.Args[1], true)
						}
					}
				case *ast.ValueSpec:
					for i, name := range n.Names {
						if strings.HasPrefix(strings.ToLower(name.Name), "rule") && i < len(n.Values) {
							add(n.Values[i], true)
						}
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return found
}

// TestEveryEmittedRuleIsListed fails when posture's code has a rule id that
// neither this list nor a shipped Rego rule describes.
func TestEveryEmittedRuleIsListed(t *testing.T) {
	builtin, rego := builtinIDs(), regoRules(t)
	found := emitted(t)
	for id, at := range found {
		if !builtin[id] && !rego[id] && notRules[id] == "" {
			t.Errorf("%s: %q looks like a rule id that posture rules does not list: describe it in internal/rules (or, if it is no rule, in notRules of this test)", at, id)
		}
	}
	for id := range builtin {
		if _, ok := found[id]; !ok {
			t.Errorf("rule %q is listed but posture's code no longer has it: remove it from internal/rules", id)
		}
		if rego[id] {
			t.Errorf("rule %q is both a Rego rule and one of posture's code", id)
		}
	}
	for id := range notRules {
		if _, ok := found[id]; !ok {
			t.Errorf("notRules lists %q, which posture's code no longer has: remove it", id)
		}
	}
}

// TestCheckedRulesAreListed runs the check over the bad cases and reads the
// audit scenario's findings: every rule they report is listed.
func TestCheckedRulesAreListed(t *testing.T) {
	known := builtinIDs()
	for id := range regoRules(t) {
		known[id] = true
	}
	res, err := check.Full(context.Background(), check.Options{Dir: "../../testdata/bad", Now: time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range res.Findings {
		seen[f.Rule] = true
	}
	data, err := os.ReadFile("../audit/testdata/json/scenario.json")
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Findings []struct {
			Rule string `json:"rule"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	for _, f := range a.Findings {
		seen[f.Rule] = true
	}
	if len(seen) < 20 {
		t.Fatalf("only %d rules seen; the bad cases or the audit scenario have lost their findings", len(seen))
	}
	for id := range seen {
		if !known[id] {
			t.Errorf("rule %q is reported but posture rules does not list it", id)
		}
	}
}

func TestBuiltinEntries(t *testing.T) {
	all := rules.Builtin()
	if !slices.IsSortedFunc(all, func(a, b rules.Info) int { return strings.Compare(a.ID, b.ID) }) {
		t.Error("Builtin is not sorted by id")
	}
	for i, r := range all {
		if i > 0 && all[i-1].ID == r.ID {
			t.Errorf("rule %q is listed twice", r.ID)
		}
		if r.Title == "" || r.Description == "" || r.Remediation == "" {
			t.Errorf("rule %q lacks a title, description or remediation", r.ID)
		}
		wantSev := []string{rules.Deny, rules.Warn}
		if r.Command == rules.Audit {
			wantSev = []string{rules.Error, rules.Warning}
		} else if r.Command != rules.Check {
			t.Errorf("rule %q: command %q; want check or audit", r.ID, r.Command)
		}
		if !slices.Contains(wantSev, r.Severity) {
			t.Errorf("rule %q of %s: severity %q; want one of %v", r.ID, r.Command, r.Severity, wantSev)
		}
		if strings.HasPrefix(r.ID, "audit.") != (r.Command == rules.Audit) {
			t.Errorf("rule %q: command %q; audit's rules are audit.*", r.ID, r.Command)
		}
	}
	if got, ok := rules.Lookup("change.mixed"); !ok || got.Severity != rules.Deny {
		t.Errorf("Lookup(change.mixed) = %+v, %v", got, ok)
	}
	if _, ok := rules.Lookup("scan.full_age"); ok {
		t.Error("Lookup found a Rego rule among posture's own")
	}
}

package policy

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// RuleInfo describes one rule, as its # METADATA block declares it.
type RuleInfo struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Severity    string `json:"severity"`
	Remediation string `json:"remediation,omitempty"`
	// Package is the Rego package that holds the rule, e.g.
	// data.posture.rules.scan, and Location its file:line.
	Package  string `json:"package"`
	Location string `json:"location"`
}

// The severities a rule may declare.
const (
	SeverityDeny = "deny"
	SeverityWarn = "warn"
)

// rulesPackage is the prefix of the packages whose violation rules posture
// queries.
var rulesPackage = ast.MustParseRef("data.posture.rules")

// postureRoot is data.posture, the policies' own namespace.
var postureRoot = ast.MustParseRef("data.posture")

// localFiles is the prefix of the module names (paths) of the local rules in
// the policy folder dir.
func localFiles(dir string) string { return dir + "/" + LocalDir + "/" }

// ruleInfos reads the METADATA of every violation rule under
// data.posture.rules and checks that each has an id, a title and a severity,
// that no two share an id, that each sits in a package posture.rules.<name>
// (the query reaches no deeper), and that the local modules, those whose
// names start with local, keep to packages of their own.
func ruleInfos(c *ast.Compiler, local string) ([]RuleInfo, error) {
	var (
		infos []RuleInfo
		errs  = checkLocal(c, local)
		seen  = map[string]string{}
	)
	set := c.GetAnnotationSet()
	for _, name := range sortedKeys(c.Modules) {
		m := c.Modules[name]
		if !m.Package.Path.HasPrefix(rulesPackage) {
			continue
		}
		for _, r := range m.Rules {
			if r.Head.Ref().String() != "violation" {
				continue
			}
			if len(m.Package.Path) != len(rulesPackage)+1 {
				errs = append(errs, fmt.Errorf("%s:%d: package %s is not evaluated: posture queries data.posture.rules.<name>.violation, so put violation rules in a package posture.rules.<name>", r.Location.File, r.Location.Row, strings.TrimPrefix(m.Package.Path.String(), "data.")))
				continue
			}
			info, err := ruleInfo(set, m, r)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if first, dup := seen[info.ID]; dup {
				errs = append(errs, fmt.Errorf("%s: rule id %q is already used at %s; give each rule its own id", info.Location, info.ID, first))
				continue
			}
			seen[info.ID] = info.Location
			infos = append(infos, info)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if len(infos) == 0 {
		return nil, errors.New("no violation rules found under package posture.rules")
	}
	slices.SortFunc(infos, func(a, b RuleInfo) int { return cmp.Compare(a.ID, b.ID) })
	return infos, nil
}

// checkLocal checks that no local module shares a package with posture's own
// modules, which an upgrade replaces, and that a local package in posture's
// namespace is a rules package.
func checkLocal(c *ast.Compiler, local string) []error {
	own := map[string]bool{}
	for name, m := range c.Modules {
		if !strings.HasPrefix(name, local) {
			own[m.Package.Path.String()] = true
		}
	}
	var errs []error
	for _, name := range sortedKeys(c.Modules) {
		m := c.Modules[name]
		if !strings.HasPrefix(name, local) {
			continue
		}
		pkg := m.Package.Path
		at := fmt.Sprintf("%s:%d", name, m.Package.Location.Row)
		switch {
		case own[pkg.String()]:
			errs = append(errs, fmt.Errorf("%s: package %s is posture's own; give local rules a package of their own, such as posture.rules.local_<name>", at, strings.TrimPrefix(pkg.String(), "data.")))
		case pkg.HasPrefix(postureRoot) && !pkg.HasPrefix(rulesPackage):
			errs = append(errs, fmt.Errorf("%s: package %s is in posture's namespace; put local rules in posture.rules.<name> and helpers outside posture", at, strings.TrimPrefix(pkg.String(), "data.")))
		}
	}
	return errs
}

func ruleInfo(set *ast.AnnotationSet, m *ast.Module, r *ast.Rule) (RuleInfo, error) {
	loc := fmt.Sprintf("%s:%d", r.Location.File, r.Location.Row)
	info := RuleInfo{Package: m.Package.Path.String(), Location: loc}
	// The rule's own block: the one rego.metadata.rule() returns.
	var a *ast.Annotations
	if chain := set.Chain(r); len(chain) > 0 && chain[0].Annotations != nil && chain[0].Annotations.Scope == "rule" {
		a = chain[0].Annotations
	}
	if a == nil {
		return info, fmt.Errorf("%s: the violation rule has no # METADATA block right above it; give it a title, custom.id and custom.severity", loc)
	}
	info.Title = strings.TrimSpace(a.Title)
	info.Description = strings.TrimSpace(a.Description)
	info.ID, _ = a.Custom["id"].(string)
	info.Severity, _ = a.Custom["severity"].(string)
	info.Remediation, _ = a.Custom["remediation"].(string)
	info.Remediation = strings.TrimSpace(info.Remediation)
	var missing []string
	if info.ID == "" {
		missing = append(missing, "custom.id")
	}
	if info.Title == "" {
		missing = append(missing, "title")
	}
	switch info.Severity {
	case SeverityDeny, SeverityWarn:
	case "":
		missing = append(missing, "custom.severity")
	default:
		return info, fmt.Errorf("%s: rule %q has severity %q; use deny or warn", loc, info.ID, info.Severity)
	}
	if len(missing) > 0 {
		return info, fmt.Errorf("%s: the METADATA of rule %q lacks %s", loc, info.ID, strings.Join(missing, ", "))
	}
	return info, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Package policy loads posture's Rego policies and evaluates records against
// them, following docs/policy-contract.md: every .rego file under the policy
// folder (not _test.rego, not exceptions/), the organisation's own rules in
// local/ included, is compiled once; each data.yaml is data at the path of its
// folder, as OPA lays it out (config/data.yaml is data.config); and one
// prepared query, data.posture.rules[_].violation, is evaluated per record.
// RunTests runs the policies' Rego tests with the same data.
package policy

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Query is the one query posture evaluates per record.
const Query = "data.posture.rules[_].violation"

// ConfigFile is the organisation's policy data, relative to the policy
// folder: data.config, in posture and in OPA alike.
const ConfigFile = "config/data.yaml"

// LocalDir is the folder of the organisation's own rules and tests, relative
// to the policy folder. posture ships nothing there.
const LocalDir = "local"

// exceptionsDir holds exception records, not policy.
const exceptionsDir = "exceptions"

// Engine is a compiled policy set with its configuration.
type Engine struct {
	compiler *ast.Compiler
	data     map[string]any // from the data files: data.config and the like
	rules    []RuleInfo
	// kinds holds, for each kind of record, the query of the rule
	// packages that can fire for it (see kindQueries).
	kinds map[string]string
	// local is set when policies/local/ holds Rego modules: the
	// organisation's own, which may read any of the registry.
	local bool

	mu sync.Mutex // serialises query preparation on the shared compiler
}

// HasLocal reports whether the policies include the organisation's own
// modules (policies/local/). posture's shipped rules read, of the
// registry, only the records a report names; a local rule may read any, so
// a check then gives the policies the whole registry.
func (e *Engine) HasLocal() bool { return e.local }

// Load reads, parses and compiles the policies in dir of fsys (an os.DirFS or
// a tree of a git commit) and reads the data files, dir/config/data.yaml
// among them. It fails on a syntax or compile error, on a data file it cannot
// read or place, on a rule whose METADATA lacks an id, title or severity or
// repeats another rule's id, and on a local rule that breaks the contract.
func Load(fsys fs.FS, dir string) (*Engine, error) {
	e, err := load(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("load policies at %s: %w", dir, err)
	}
	return e, nil
}

func load(fsys fs.FS, dir string) (*Engine, error) {
	modules, err := readModules(fsys, dir, false)
	if err != nil {
		return nil, err
	}
	data, err := readData(fsys, dir)
	if err != nil {
		return nil, err
	}
	compiler := ast.NewCompiler().
		WithDefaultRegoVersion(ast.RegoV1).
		WithStrict(true)
	if compiler.Compile(modules); compiler.Failed() {
		return nil, fmt.Errorf("compile: %w", flatten(compiler.Errors))
	}
	rules, err := ruleInfos(compiler, localFiles(dir))
	if err != nil {
		return nil, err
	}
	local := false
	for name := range modules {
		local = local || strings.HasPrefix(name, localFiles(dir))
	}
	return &Engine{compiler: compiler, data: data, rules: rules, kinds: kindQueries(compiler), local: local}, nil
}

// readModules parses every .rego file under dir, skipping the exceptions
// folder and, unless tests is set, the _test.rego files. Modules are keyed by
// their path in fsys.
func readModules(fsys fs.FS, dir string, tests bool) (map[string]*ast.Module, error) {
	modules := map[string]*ast.Module{}
	var errs []error
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if skip(dir, p, d) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !strings.HasSuffix(p, ".rego") || (!tests && strings.HasSuffix(p, "_test.rego")) {
			return nil
		}
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		m, err := ast.ParseModuleWithOpts(p, string(src), ast.ParserOptions{
			RegoVersion:       ast.RegoV1,
			ProcessAnnotation: true,
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("parse %s: %w", p, flatten(err)))
			return nil
		}
		modules[p] = m
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read policies: %w", err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if len(modules) == 0 {
		return nil, errors.New("no .rego files found")
	}
	return modules, nil
}

// flatten turns OPA's "N errors occurred:" list into one error per line.
func flatten(err error) error {
	var list ast.Errors
	if !errors.As(err, &list) {
		return err
	}
	errs := make([]error, len(list))
	for i, e := range list {
		errs[i] = e
	}
	return errors.Join(errs...)
}

// Rules lists the rules of the policy set, sorted by id.
func (e *Engine) Rules() []RuleInfo {
	return slices.Clone(e.rules)
}

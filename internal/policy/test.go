package policy

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/tester"
)

// testTimeout bounds one Rego test, so that a test that never ends fails
// instead of hanging the run. posture's own tests take milliseconds.
const testTimeout = time.Minute

// TestRun is the outcome of RunTests.
type TestRun struct {
	// Problems say why the policies do not load (a syntax or compile
	// error, a data file, the METADATA contract), each "file:line: ..."
	// where there is a place. When there are any, no test ran.
	Problems []string
	// Results are the tests, sorted by file and line.
	Results []TestResult
}

// TestResult is the outcome of one Rego test.
type TestResult struct {
	// Name is the test's full name, e.g.
	// data.posture.rules.mac_test.test_randomised_mac_fails.
	Name string
	// File and Line are where the test is defined.
	File string
	Line int
	// Failed is set when the test did not pass; Error, when it could not
	// be evaluated at all, says why.
	Failed bool
	Error  string
	// Output is what the test printed with print().
	Output string
	// Skipped is set for a test named todo_.
	Skipped bool
}

// Failed returns the tests that failed.
func (r *TestRun) Failed() []TestResult {
	var out []TestResult
	for _, t := range r.Results {
		if t.Failed {
			out = append(out, t)
		}
	}
	return out
}

// OK says whether the policies loaded, there were tests, and every test
// passed.
func (r *TestRun) OK() bool {
	return len(r.Problems) == 0 && len(r.Results) > 0 && len(r.Failed()) == 0
}

// RunTests runs the Rego tests (the _test.rego files) of the policies in dir
// of fsys, local/ included, with OPA's tester. The data document is what
// posture check gives the policies from the data files (data.config and the
// like) and nothing else: tests bring their registry and records with
// `with data.registry as ...` and `with input as ...`, so that they never
// depend on the organisation's people and devices, and data.derived is left
// out, so that lib.derived computes it from the registry a test gives.
//
// Policies that do not load, as posture check would refuse them, are
// Problems of the run. The error is for what stopped the run itself.
func RunTests(ctx context.Context, fsys fs.FS, dir string) (*TestRun, error) {
	run := &TestRun{}
	e, err := load(fsys, dir)
	if err != nil {
		run.Problems = problems(err)
		return run, nil
	}
	modules, err := readModules(fsys, dir, true)
	if err != nil {
		run.Problems = problems(err)
		return run, nil
	}
	store := inmem.NewFromObject(e.data)
	txn, err := store.NewTransaction(ctx)
	if err != nil {
		return nil, fmt.Errorf("run rego tests: %w", err)
	}
	defer store.Abort(ctx, txn)
	ch, err := tester.NewRunner().
		SetDefaultRegoVersion(ast.RegoV1).
		SetStore(store).
		SetModules(modules).
		SetTimeout(testTimeout).
		CapturePrintOutput(true).
		RaiseBuiltinErrors(true).
		RunTests(ctx, txn)
	if err != nil {
		var list ast.Errors
		if errors.As(err, &list) {
			run.Problems = problems(fmt.Errorf("compile the tests: %w", flatten(err)))
			return run, nil
		}
		return nil, fmt.Errorf("run rego tests: %w", err)
	}
	for r := range ch {
		run.Results = append(run.Results, result(r))
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("run rego tests: %w", err)
	}
	slices.SortFunc(run.Results, func(a, b TestResult) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Name, b.Name))
	})
	return run, nil
}

func result(r *tester.Result) TestResult {
	t := TestResult{
		Name:    r.Package + "." + r.Name,
		Failed:  r.Fail || r.Error != nil,
		Output:  string(r.Output),
		Skipped: r.Skip,
	}
	if r.Location != nil {
		t.File, t.Line = r.Location.File, r.Location.Row
	}
	if r.Error != nil {
		t.Error = r.Error.Error()
	}
	return t
}

// problems lists the errors joined in a load error, one problem each.
func problems(err error) []string {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []string
		for _, e := range j.Unwrap() {
			out = append(out, problems(e)...)
		}
		return out
	}
	return []string{err.Error()}
}

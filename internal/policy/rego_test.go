package policy

import (
	"cmp"
	"context"
	"os"
	"slices"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/tester"
)

// repoFS is the repository root, so that paths in messages read policies/...
var repoFS = os.DirFS("../..")

const policyDir = "policies"

// TestRegoPolicies runs every Rego unit test in policies/ (the *_test.rego
// files) with data.config read from data.yaml, one Go subtest per Rego test.
func TestRegoPolicies(t *testing.T) {
	ctx := context.Background()
	modules, err := readModules(repoFS, policyDir, true)
	if err != nil {
		t.Fatal(err)
	}
	config, err := readConfig(repoFS, policyDir+"/"+ConfigFile)
	if err != nil {
		t.Fatal(err)
	}
	store := inmem.NewFromObject(map[string]any{"config": config})
	txn := storage.NewTransactionOrDie(ctx, store)
	defer store.Abort(ctx, txn)

	ch, err := tester.NewRunner().
		SetDefaultRegoVersion(ast.RegoV1).
		SetStore(store).
		SetModules(modules).
		CapturePrintOutput(true).
		RaiseBuiltinErrors(true).
		RunTests(ctx, txn)
	if err != nil {
		t.Fatalf("run rego tests: %v", err)
	}
	var results []*tester.Result
	for r := range ch {
		results = append(results, r)
	}
	if len(results) == 0 {
		t.Fatal("no rego tests found under policies/")
	}
	slices.SortFunc(results, func(a, b *tester.Result) int {
		return cmp.Or(cmp.Compare(a.Package, b.Package), cmp.Compare(a.Name, b.Name))
	})
	for _, r := range results {
		t.Run(r.Package+"."+r.Name, func(t *testing.T) {
			switch {
			case r.Skip:
				t.Skip("skipped in rego (todo_ prefix)")
			case r.Error != nil:
				t.Errorf("%s: error: %v\n%s", r.Location, r.Error, r.Output)
			case r.Fail:
				at := ""
				if r.FailedAt != nil {
					at = "failed at " + r.FailedAt.Location.String() + ": " + r.FailedAt.String()
				}
				t.Errorf("%s: FAIL %s\n%s", r.Location, at, r.Output)
			}
		})
	}
}

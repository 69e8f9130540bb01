package equiv

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
)

// Evaluator runs data.main.deny of a conftest-style policy folder, prepared
// once, on one input at a time. It is safe for concurrent use.
type Evaluator struct {
	query rego.PreparedEvalQuery
}

// NewEvaluator compiles the .rego files of policyDir (not _test.rego) with
// dataJSON, a JSON object, as data.
func NewEvaluator(ctx context.Context, policyDir string, dataJSON []byte) (*Evaluator, error) {
	files, err := filepath.Glob(filepath.Join(policyDir, "*.rego"))
	if err != nil {
		return nil, err
	}
	opts := []func(*rego.Rego){
		rego.Query("data.main.deny"),
		rego.Store(inmem.NewFromReader(bytes.NewReader(dataJSON))),
	}
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.rego") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read the policy: %w", err)
		}
		opts = append(opts, rego.Module(f, string(src)))
		n++
	}
	if n == 0 {
		return nil, fmt.Errorf("no .rego files in %s", policyDir)
	}
	q, err := rego.New(opts...).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("prepare the policies at %s: %w", policyDir, err)
	}
	return &Evaluator{query: q}, nil
}

// Deny evaluates input (from Decode) and returns the deny messages, sorted.
func (e *Evaluator) Deny(ctx context.Context, input any) ([]string, error) {
	rs, err := e.query.Eval(ctx, rego.EvalInput(input))
	if err != nil {
		return nil, err
	}
	var msgs []string
	for _, r := range rs {
		for _, x := range r.Expressions {
			set, _ := x.Value.([]any)
			for _, m := range set {
				msgs = append(msgs, fmt.Sprint(m))
			}
		}
	}
	sort.Strings(msgs)
	return msgs, nil
}

// Rule is the rule id that a deny message of the policy set starts with
// ("scan.full_age: ...").
func Rule(msg string) string {
	rule, _, _ := strings.Cut(msg, ":")
	return rule
}

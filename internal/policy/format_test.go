package policy

import (
	"bytes"
	"io/fs"
	"path"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"
	"github.com/posture-dev/posture"
)

// TestPoliciesFormatted keeps every built-in .rego file as `opa fmt` writes
// it.
func TestPoliciesFormatted(t *testing.T) {
	err := fs.WalkDir(posture.Defaults, policyDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") {
			return err
		}
		src, err := fs.ReadFile(posture.Defaults, p)
		if err != nil {
			return err
		}
		want, err := format.SourceWithOpts(path.Base(p), src, format.Opts{RegoVersion: ast.RegoV1})
		if err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		if !bytes.Equal(src, want) {
			t.Errorf("%s is not formatted: run opa fmt -w on it", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

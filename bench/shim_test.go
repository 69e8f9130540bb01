package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/posture-dev/posture/bench/equiv"
	"github.com/posture-dev/posture/internal/cli"
	"github.com/posture-dev/posture/internal/synth"
)

const testAt = "2026-11-12"

// shimOrg generates an organisation of 200 employees with the repository's
// policies and schemas, as the benchmark does, lays posture's rules out for
// conftest and opa eval beside it, and returns what posture check reports
// denies there (run in process, as cmd/posture runs it).
func shimOrg(t *testing.T) (string, *ruleFiles, synth.Expect, flagged) {
	t.Helper()
	base := t.TempDir()
	org := filepath.Join(base, "org")
	exp, err := makeOrg("..", org, 200, 3)
	if err != nil {
		t.Fatal(err)
	}
	rf, err := writePostureRules(org, base, testAt)
	if err != nil {
		t.Fatal(err)
	}
	if rf.records != 200 {
		t.Fatalf("the combined input holds %d reports, want 200", rf.records)
	}
	var out, errb bytes.Buffer
	code := cli.Main([]string{"check", "--at", testAt, "-C", org, "--format", "json", "reports"}, cli.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errb})
	if code != 1 {
		t.Fatalf("posture check exited %d, want 1 (findings): %s", code, errb.String())
	}
	want, err := parsePosture(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if err := disagreement(compare(exp, want), len(exp)); err != nil {
		t.Fatalf("posture check: %v", err)
	}
	rules := map[string]bool{}
	for _, r := range exp {
		rules[r] = true
	}
	if len(rules) != 3 {
		t.Fatalf("the generator planted failures of %d rules, want 3: too few employees?", len(rules))
	}
	return org, rf, exp, want
}

// loadModules reads the .rego files of posture's rules, the derived
// constants and one shim file as OPA modules.
func loadModules(t *testing.T, rf *ruleFiles, shim string) []func(*rego.Rego) {
	t.Helper()
	files := []string{rf.derived, filepath.Join("shim", shim)}
	err := filepath.WalkDir(rf.rules, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".rego") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var opts []func(*rego.Rego)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		opts = append(opts, rego.Module(f, string(b)))
	}
	return opts
}

func dataStore(t *testing.T, rf *ruleFiles) func(*rego.Rego) {
	t.Helper()
	b, err := os.ReadFile(rf.data)
	if err != nil {
		t.Fatal(err)
	}
	return rego.Store(inmem.NewFromReader(bytes.NewReader(b)))
}

// TestShimInProcess keeps the shims equivalent to posture without conftest
// or opa: shim/main.rego evaluated as conftest evaluates it (each report
// parsed on its own, its folder and name as data.conftest.file), and
// shim/combined.rego over the combined input, as opa eval evaluates it, must
// deny exactly the (file, rule) pairs posture denies.
func TestShimInProcess(t *testing.T) {
	org, rf, _, want := shimOrg(t)
	ctx := context.Background()
	root, err := filepath.Abs(org)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("conftest shim", func(t *testing.T) {
		opts := append(loadModules(t, rf, "main.rego"), dataStore(t, rf),
			rego.Query("data.main.deny with data.conftest.file as input.file with input as input.record"))
		q, err := rego.New(opts...).PrepareForEval(ctx)
		if err != nil {
			t.Fatal(err)
		}
		files, err := filepath.Glob(filepath.Join(root, "reports", "*", "*.yaml"))
		if err != nil || len(files) != 200 {
			t.Fatalf("%d reports (%v)", len(files), err)
		}
		got := flagged{}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			rec, err := equiv.Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			in := map[string]any{"file": map[string]any{"name": filepath.Base(f), "dir": filepath.Dir(f)}, "record": rec}
			rs, err := q.Eval(ctx, rego.EvalInput(in))
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(root, f)
			for _, r := range rs {
				for _, x := range r.Expressions {
					msgs, _ := x.Value.([]any)
					for _, m := range msgs {
						got.add(filepath.ToSlash(rel), strings.SplitN(fmt.Sprint(m), ":", 2)[0])
					}
				}
			}
		}
		if d := differ(want, got); len(d) > 0 {
			t.Errorf("the conftest shim disagrees with posture check:\n%s", strings.Join(d, "\n"))
		}
	})

	t.Run("combined input", func(t *testing.T) {
		opts := append(loadModules(t, rf, "combined.rego"), dataStore(t, rf), rego.Query("data.bench.denied"))
		b, err := os.ReadFile(rf.input)
		if err != nil {
			t.Fatal(err)
		}
		var input any
		if err := json.Unmarshal(b, &input); err != nil {
			t.Fatal(err)
		}
		rs, err := rego.New(append(opts, rego.Input(input))...).Eval(ctx)
		if err != nil {
			t.Fatal(err)
		}
		js, err := json.Marshal(map[string]any{"result": rs})
		if err != nil {
			t.Fatal(err)
		}
		got, err := parseOPA(js)
		if err != nil {
			t.Fatal(err)
		}
		if d := differ(want, got); len(d) > 0 {
			t.Errorf("the combined query disagrees with posture check:\n%s", strings.Join(d, "\n"))
		}
	})
}

// TestShimWithBinaries runs the benchmark's commands themselves, conftest
// with shim/main.rego and opa eval with shim/combined.rego, on a small
// organisation and checks they deny what posture denies. It needs the
// binaries the benchmark installs (go run ./bench does, once) and skips
// without them: a test never reaches the network.
func TestShimWithBinaries(t *testing.T) {
	bin, err := binDir()
	if err != nil {
		t.Skip(err)
	}
	conftest, opa := filepath.Join(bin, "conftest"), filepath.Join(bin, "opa")
	for _, b := range []string{conftest, opa} {
		if _, err := os.Stat(b); err != nil {
			t.Skipf("%s is not installed (go run ./bench installs it): %v", b, err)
		}
	}
	org, rf, exp, want := shimOrg(t)
	shim, err := filepath.Abs("shim")
	if err != nil {
		t.Fatal(err)
	}
	run := func(exe string, args ...string) []byte {
		t.Helper()
		cmd := exec.Command(exe, args...)
		cmd.Dir = org
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 1 {
				t.Fatalf("%s %s: %v\n%s", exe, strings.Join(args, " "), err, errb.String())
			}
		}
		if out.Len() == 0 { // exit 1 is also how conftest says it could not load the policies
			t.Fatalf("%s %s printed nothing:\n%s", exe, strings.Join(args, " "), errb.String())
		}
		return out.Bytes()
	}
	for _, tc := range []struct {
		name  string
		out   []byte
		parse func([]byte) (flagged, error)
	}{
		{"conftest", run(conftest, "test", "--data", rf.data, "-p", rf.rules, "-p", rf.derived, "-p", filepath.Join(shim, "main.rego"), "-o", "json", "reports"), parseConftest},
		{"opa eval", run(opa, "eval", "--data", rf.rules, "--data", rf.derived, "--data", filepath.Join(shim, "combined.rego"),
			"--data", rf.data, "--input", rf.input, "--format", "json", "data.bench.denied"), parseOPA},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.parse(tc.out)
			if err != nil {
				t.Fatal(err)
			}
			if d := differ(want, got); len(d) > 0 {
				t.Errorf("%s disagrees with posture check:\n%s", tc.name, strings.Join(d, "\n"))
			}
			if err := disagreement(compare(exp, got), len(exp)); err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
		})
	}
}

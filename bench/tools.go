package main

import (
	"bytes"
	"context"
	"debug/buildinfo"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

const conftestModule = "github.com/open-policy-agent/conftest"

// tools are the programs the benchmark runs.
type tools struct {
	posture  string
	floor    string
	conftest string
	policy   string // the equivalent policy set, bench/conftest/policy

	conftestVersion string // conftest's module version, from its build info
	conftestOPA     string // the OPA version conftest was built with
	install         string // how conftest was installed
}

// moduleRoot finds the posture module that the benchmark runs from.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := output(ctx, "", nil, "go", "env", "GOMOD")
	if err != nil {
		return "", err
	}
	gomod := strings.TrimSpace(out)
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("run the benchmark from the posture module: go run ./bench")
	}
	b, err := os.ReadFile(gomod)
	if err != nil {
		return "", err
	}
	if !bytes.Contains(b, []byte("module github.com/posture-dev/posture\n")) {
		return "", fmt.Errorf("%s is not posture's go.mod; run the benchmark from the posture module", gomod)
	}
	return filepath.Dir(gomod), nil
}

func prepareTools(ctx context.Context, root, work string, c *config, logf func(string, ...any)) (*tools, error) {
	bin := filepath.Join(work, "bin")
	t := &tools{
		posture: filepath.Join(bin, "posture"),
		floor:   filepath.Join(bin, "floor"),
		policy:  filepath.Join(root, "bench", "conftest", "policy"),
	}
	logf("building posture and the floor")
	if _, err := output(ctx, root, nil, "go", "build", "-o", t.posture, "./cmd/posture"); err != nil {
		return nil, err
	}
	if _, err := output(ctx, root, nil, "go", "build", "-o", t.floor, "./bench/floor"); err != nil {
		return nil, err
	}
	if c.conftest != "" {
		t.conftest, t.install = c.conftest, "given with -conftest"
	} else {
		var err error
		if t.conftest, t.install, err = installConftest(ctx, c.conftestVersion, logf); err != nil {
			return nil, err
		}
	}
	info, err := buildinfo.ReadFile(t.conftest)
	if err != nil {
		return nil, fmt.Errorf("read the build info of %s: %w", t.conftest, err)
	}
	t.conftestVersion = info.Main.Version
	for _, d := range info.Deps {
		if d.Path == "github.com/open-policy-agent/opa" {
			t.conftestOPA = d.Version
		}
	}
	return t, nil
}

// installConftest installs conftest at version with go install into the
// user's cache folder, outside posture's module and its dependencies, unless
// that version is there already.
func installConftest(ctx context.Context, version string, logf func(string, ...any)) (string, string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", "", err
	}
	gobin := filepath.Join(cache, "posture-bench", "bin")
	exe := filepath.Join(gobin, "conftest")
	install := fmt.Sprintf("GOBIN=%s go install %s@%s", gobin, conftestModule, version)
	if info, err := buildinfo.ReadFile(exe); err == nil && info.Main.Version == version {
		return exe, install, nil
	}
	logf("installing conftest: %s", install)
	env := append(os.Environ(), "GOBIN="+gobin)
	if _, err := output(ctx, os.TempDir(), env, "go", "install", conftestModule+"@"+version); err != nil {
		return "", "", err
	}
	return exe, install, nil
}

// output runs a command that must succeed and returns its standard output.
func output(ctx context.Context, dir string, env []string, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, tail(errb.String()))
	}
	return out.String(), nil
}

// tail is the end of a command's error output, for error messages.
func tail(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 2000 {
		s = "..." + s[len(s)-2000:]
	}
	return s
}

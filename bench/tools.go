package main

import (
	"bytes"
	"context"
	"debug/buildinfo"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
)

const (
	conftestModule = "github.com/open-policy-agent/conftest"
	opaModule      = "github.com/open-policy-agent/opa"
)

// tools are the programs the benchmark runs.
type tools struct {
	posture  string
	floor    string
	conftest string
	opa      string
	policy   string // the equivalent policy set, bench/conftest/policy
	shim     string // bench/shim: posture's rules for conftest and opa eval

	conftestVersion string // conftest's module version, from its build info
	conftestOPA     string // the OPA version conftest was built with
	install         string // how conftest was installed
	opaVersion      string // opa's module version, from its build info
	opaInstall      string // how opa was installed
	postureOPA      string // the OPA version posture was built with
	git             string // git --version

	// checkCache and auditCache say whether posture check and posture
	// audit take --cache DIR (their --help lists it).
	checkCache, auditCache bool
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
		shim:    filepath.Join(root, "bench", "shim"),
	}
	logf("building posture, the floor and meter")
	if _, err := output(ctx, root, nil, "go", "build", "-o", t.posture, "./cmd/posture"); err != nil {
		return nil, err
	}
	if _, err := output(ctx, root, nil, "go", "build", "-o", t.floor, "./bench/floor"); err != nil {
		return nil, err
	}
	meterExe = filepath.Join(bin, "meter")
	if _, err := output(ctx, root, nil, "go", "build", "-o", meterExe, "./bench/meter"); err != nil {
		return nil, err
	}
	var err error
	if t.conftest, t.install, t.conftestVersion, err = installTool(ctx, conftestModule, c.conftestVersion, c.conftest, logf); err != nil {
		return nil, err
	}
	if t.conftestOPA, err = depVersion(t.conftest, opaModule); err != nil {
		return nil, err
	}
	if t.opa, t.opaInstall, t.opaVersion, err = installTool(ctx, opaModule, c.opaVersion, c.opa, logf); err != nil {
		return nil, err
	}
	if t.postureOPA, err = depVersion(t.posture, opaModule); err != nil {
		return nil, err
	}
	if t.checkCache, err = takesCache(ctx, t.posture, "check"); err != nil {
		return nil, err
	}
	if t.auditCache, err = takesCache(ctx, t.posture, "audit"); err != nil {
		return nil, err
	}
	v, err := output(ctx, root, nil, "git", "--version")
	if err != nil {
		return nil, err
	}
	t.git = strings.TrimSpace(v)
	return t, nil
}

// depVersion is the version of module that the Go binary exe was built with.
func depVersion(exe, module string) (string, error) {
	info, err := buildinfo.ReadFile(exe)
	if err != nil {
		return "", fmt.Errorf("read the build info of %s: %w", exe, err)
	}
	for _, d := range info.Deps {
		if d.Path == module {
			return d.Version, nil
		}
	}
	return "unknown", nil
}

// takesCache says whether `posture <command> --help` lists a --cache flag.
func takesCache(ctx context.Context, posture, command string) (bool, error) {
	help, err := output(ctx, "", nil, posture, command, "--help")
	if err != nil {
		return false, err
	}
	return strings.Contains(help, "--cache"), nil
}

// installTool returns the binary given (with -conftest or -opa), or installs
// module's command at version with go install into the user's cache folder,
// outside posture's module and its dependencies, unless that version is
// there already. It returns the binary, how it came, and its module version
// from its build info (a go-installed conftest says "dev" to --version).
func installTool(ctx context.Context, module, version, given string, logf func(string, ...any)) (string, string, string, error) {
	exe, install := given, "given with -"+path.Base(module)
	if given == "" {
		var err error
		if exe, install, err = goInstall(ctx, module, version, logf); err != nil {
			return "", "", "", err
		}
	}
	info, err := buildinfo.ReadFile(exe)
	if err != nil {
		return "", "", "", fmt.Errorf("read the build info of %s: %w", exe, err)
	}
	return exe, install, info.Main.Version, nil
}

// binDir is where the benchmark installs conftest and opa.
func binDir() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(cache, "posture-bench", "bin"), nil
}

// goInstall installs module's command at version with go install into
// binDir, unless that version is there already.
func goInstall(ctx context.Context, module, version string, logf func(string, ...any)) (string, string, error) {
	gobin, err := binDir()
	if err != nil {
		return "", "", err
	}
	exe := filepath.Join(gobin, path.Base(module))
	install := fmt.Sprintf("GOBIN=%s go install %s@%s", gobin, module, version)
	if info, err := buildinfo.ReadFile(exe); err == nil && info.Main.Version == version {
		return exe, install, nil
	}
	logf("installing %s: %s", path.Base(module), install)
	env := append(os.Environ(), "GOBIN="+gobin)
	if _, err := output(ctx, os.TempDir(), env, "go", "install", module+"@"+version); err != nil {
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

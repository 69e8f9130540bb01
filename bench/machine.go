package main

import (
	"bufio"
	"context"
	"os"
	"runtime"
	"strings"
)

// machine describes where the benchmark ran.
type machine struct {
	cpu     string
	cores   int
	goVer   string
	os      string
	posture string // the commit posture was built from
}

func describeMachine(ctx context.Context, root string) (machine, error) {
	m := machine{cpu: "unknown", cores: runtime.NumCPU(), os: runtime.GOOS + "/" + runtime.GOARCH}
	if v := field("/proc/cpuinfo", "model name", ':'); v != "" {
		m.cpu = v
	}
	if v := field("/etc/os-release", "PRETTY_NAME", '='); v != "" {
		m.os = strings.Trim(v, `"`) + ", " + m.os
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.os += ", kernel " + strings.TrimSpace(string(b))
	}
	v, err := output(ctx, root, nil, "go", "env", "GOVERSION")
	if err != nil {
		return m, err
	}
	m.goVer = strings.TrimSpace(v)
	m.posture = "unknown commit"
	if head, err := output(ctx, root, nil, "git", "rev-parse", "--short", "HEAD"); err == nil {
		m.posture = "commit " + strings.TrimSpace(head)
		if st, err := output(ctx, root, nil, "git", "status", "--porcelain", "--untracked-files=no"); err == nil && strings.TrimSpace(st) != "" {
			m.posture += " with uncommitted changes"
		}
	}
	return m, nil
}

// loadavg is the 1, 5 and 15-minute load averages of the machine, or "".
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

// field is the value of the first "key<sep>value" line of a file.
func field(path, key string, sep byte) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), string(sep))
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

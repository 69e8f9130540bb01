package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestRunReportsTheCommandsCostAndExitCode(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		code int
	}{
		{"success", []string{"sh", "-c", "i=0; while [ $i -lt 2000 ]; do i=$((i+1)); done"}, 0},
		{"findings", []string{"sh", "-c", "exit 1"}, 1},
		{"failure", []string{"sh", "-c", "exit 3"}, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "cost.json")
			code, err := run(append([]string{"-o", out}, tt.args...))
			if err != nil {
				t.Fatal(err)
			}
			if code != tt.code {
				t.Errorf("exit code %d, want %d", code, tt.code)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			var c Cost
			if err := json.Unmarshal(b, &c); err != nil {
				t.Fatal(err)
			}
			if c.Exit != tt.code || c.WallNS <= 0 || c.MaxRSS <= 0 {
				t.Errorf("cost %+v", c)
			}
		})
	}
}

func TestRunRefusesWithoutCommandOrFile(t *testing.T) {
	for _, args := range [][]string{{"-o", "x.json"}, {"true"}} {
		if _, err := run(args); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
	if _, err := run([]string{"-o", filepath.Join(t.TempDir(), "c.json"), "/nonexistent/program"}); err == nil {
		t.Error("a program that does not exist: no error")
	}
}

// Command floor is the benchmark's floor: the least work that checking N
// report files with the equivalent policy set costs in Go. It reads and
// yaml.v3-parses each file and runs one prepared OPA evaluation of
// data.main.deny per file, on GOMAXPROCS workers, then prints one line per
// deny message: "path<TAB>message", sorted.
//
//	floor -data registry.json -p policy reports
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/posture-dev/posture/bench/equiv"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(3)
	}
}

func run(args []string, out io.Writer) error {
	fl := flag.NewFlagSet("floor", flag.ContinueOnError)
	dataPath := fl.String("data", "", "the data document (JSON)")
	policyDir := fl.String("p", "policy", "the policy folder")
	workers := fl.Int("workers", runtime.GOMAXPROCS(0), "evaluations run in parallel")
	if err := fl.Parse(args); err != nil {
		return err
	}
	data, err := os.ReadFile(*dataPath)
	if err != nil {
		return err
	}
	ctx := context.Background()
	ev, err := equiv.NewEvaluator(ctx, *policyDir, data)
	if err != nil {
		return err
	}
	files, err := list(fl.Args())
	if err != nil {
		return err
	}

	jobs := make(chan string)
	var mu sync.Mutex
	var lines []string
	var first error
	var wg sync.WaitGroup
	for range max(*workers, 1) {
		wg.Go(func() {
			for p := range jobs {
				msgs, err := check(ctx, ev, p)
				mu.Lock()
				if err != nil && first == nil {
					first = fmt.Errorf("%s: %w", p, err)
				}
				for _, m := range msgs {
					lines = append(lines, p+"\t"+m)
				}
				mu.Unlock()
			}
		})
	}
	for _, f := range files {
		jobs <- f
	}
	close(jobs)
	wg.Wait()
	if first != nil {
		return first
	}
	sort.Strings(lines)
	for _, l := range lines {
		if _, err := fmt.Fprintln(out, l); err != nil {
			return err
		}
	}
	return nil
}

func check(ctx context.Context, ev *equiv.Evaluator, path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	input, err := equiv.Decode(b)
	if err != nil {
		return nil, err
	}
	msgs, err := ev.Deny(ctx, input)
	for i, m := range msgs {
		msgs[i] = strings.ReplaceAll(m, "\n", " ")
	}
	return msgs, err
}

// list expands folders into the .yaml and .yml files below them.
func list(args []string) ([]string, error) {
	var files []string
	for _, a := range args {
		err := filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
				files = append(files, filepath.ToSlash(p))
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

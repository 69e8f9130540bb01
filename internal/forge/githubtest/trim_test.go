package githubtest

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// openapiSource regenerates testdata/github/api.github.com.json:
//
//	npm install --prefix /tmp/octokit @octokit/openapi@<version>
//	go test ./internal/forge/githubtest -run TestTrimOpenAPI \
//	    -openapi-source /tmp/octokit/node_modules/@octokit/openapi
var openapiSource = flag.String("openapi-source", "",
	"the folder of the npm package @octokit/openapi to trim testdata/github/api.github.com.json from")

// TestTrimOpenAPI writes the trimmed copy of GitHub's OpenAPI description
// that the fake is checked against: the operations its routes name, with
// every component they reference and nothing else. Without -openapi-source
// it is skipped; no test reads the network.
func TestTrimOpenAPI(t *testing.T) {
	if *openapiSource == "" {
		t.Skip("regenerate with -openapi-source <folder of @octokit/openapi>")
	}
	var pkg struct{ Name, Version string }
	if err := readJSON(filepath.Join(*openapiSource, "package.json"), &pkg); err != nil {
		t.Fatal(err)
	}
	var full map[string]any
	if err := readJSON(filepath.Join(*openapiSource, "generated", "api.github.com.json"), &full); err != nil {
		t.Fatal(err)
	}
	var ops []string
	for _, rt := range routes {
		ops = append(ops, rt.op)
	}
	trimmed, err := trimOpenAPI(full, ops)
	if err != nil {
		t.Fatal(err)
	}
	info := trimmed["info"].(map[string]any)
	info["x-posture-source"] = map[string]any{
		"package": pkg.Name + "@" + pkg.Version,
		"file":    "generated/api.github.com.json",
		"trimmed": "go test ./internal/forge/githubtest -run TestTrimOpenAPI -openapi-source <package folder>",
		"license": "MIT, Copyright (c) 2020 Octokit contributors; the description itself is GitHub's (github/rest-api-description, MIT)",
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(trimmed); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("testdata", "github", specFile), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d operations from %s@%s (%d bytes)", len(slices.Compact(slices.Sorted(slices.Values(ops)))),
		pkg.Name, pkg.Version, buf.Len())
}

func readJSON(name string, v any) error {
	b, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// trimOpenAPI returns the description doc cut down to the operations ops
// (operationIds) and the components they reference, transitively, and the
// schemas of the errors GitHub answers on any endpoint (genericErrors). The
// examples are left out: they are not used to validate, and are most of
// the bulk.
func trimOpenAPI(doc map[string]any, ops []string) (map[string]any, error) {
	want := map[string]bool{}
	for _, op := range ops {
		want[op] = true
	}
	paths := map[string]any{}
	for p, v := range doc["paths"].(map[string]any) {
		item := v.(map[string]any)
		kept := map[string]any{}
		for method, o := range item {
			op, ok := o.(map[string]any)
			if !ok || method == "parameters" {
				continue
			}
			if id, _ := op["operationId"].(string); want[id] {
				kept[method] = stripExamples(op)
				delete(want, id)
			}
		}
		if len(kept) == 0 {
			continue
		}
		if params, ok := item["parameters"]; ok {
			kept["parameters"] = params
		}
		paths[p] = kept
	}
	if len(want) > 0 {
		missing := make([]string, 0, len(want))
		for id := range want {
			missing = append(missing, id)
		}
		sort.Strings(missing)
		return nil, fmt.Errorf("no operation %s in the description", strings.Join(missing, ", "))
	}
	components := doc["components"].(map[string]any)
	out := map[string]any{}
	var visit func(v any) error
	visit = func(v any) error {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				kind, name, ok := strings.Cut(strings.TrimPrefix(ref, "#/components/"), "/")
				if !ok || !strings.HasPrefix(ref, "#/components/") {
					return fmt.Errorf("reference %q is not to a component", ref)
				}
				section, _ := out[kind].(map[string]any)
				if section == nil {
					section = map[string]any{}
					out[kind] = section
				}
				if _, done := section[name]; done {
					return nil
				}
				c, ok := components[kind].(map[string]any)[name]
				if !ok {
					return fmt.Errorf("reference %q to no component", ref)
				}
				c = stripExamples(c)
				section[name] = c
				return visit(c)
			}
			for _, x := range v {
				if err := visit(x); err != nil {
					return err
				}
			}
		case []any:
			for _, x := range v {
				if err := visit(x); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := visit(paths); err != nil {
		return nil, err
	}
	for _, name := range genericErrors {
		if err := visit(map[string]any{"$ref": "#/components/schemas/" + name}); err != nil {
			return nil, err
		}
	}
	return map[string]any{"openapi": doc["openapi"], "info": doc["info"], "servers": doc["servers"],
		"paths": paths, "components": out}, nil
}

// stripExamples returns v without the "examples" of its media types and
// parameters (references to components/examples), copied where changed. A
// schema property that happens to be called "examples" is kept.
func stripExamples(v any) any { return strip(v, "") }

func strip(v any, key string) any {
	switch v := v.(type) {
	case map[string]any:
		_, isParam := v["in"]
		out := make(map[string]any, len(v))
		for k, x := range v {
			if k == "examples" && (key == "mediaType" || isParam) {
				continue
			}
			sub := k
			if key == "content" {
				sub = "mediaType"
			}
			if key == "properties" {
				sub = "" // a property's name says nothing of what it holds
			}
			out[k] = strip(x, sub)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = strip(x, "")
		}
		return out
	}
	return v
}

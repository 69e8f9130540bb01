// Package posture holds the default policies and schemas, built into the
// binary so that a repository without its own policies/ or schemas/ folder is
// checked with these.
package posture

import (
	"embed"
	"io/fs"
)

// tool is posture's own files: the Rego rules with their tests, and the
// JSON Schemas. policies/local/ and policies/exceptions/ belong to an
// organisation and are never built in.
//
//go:embed policies/*.rego schemas/*.schema.json
var tool embed.FS

// defaults is the policy data posture ships, laid out as in a repository.
// It lives apart from policies/config/data.yaml, which is the demo
// organisation's own data: the demo changing a threshold changes its own
// checks, never what posture builds in.
//
//go:embed defaults/policies/config/data.yaml
var defaults embed.FS

// Defaults holds policies/*.rego, policies/config/data.yaml (from
// defaults/) and schemas/*.schema.json as shipped.
var Defaults fs.FS = layers{sub(defaults, "defaults"), tool}

func sub(fsys fs.FS, dir string) fs.FS {
	s, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err) // dir is a valid constant path
	}
	return s
}

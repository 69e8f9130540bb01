// Package posture holds the default policies and schemas, built into the
// binary so that a repository without its own policies/ or schemas/ folder is
// checked with these.
package posture

import "embed"

// Defaults holds policies/ (without exceptions) and schemas/ as shipped.
//
//go:embed policies/*.rego policies/data.yaml schemas/*.schema.json
var Defaults embed.FS

package atomicfile

import "io"

// wrapWriter, when a test sets it, wraps each temporary file's writer: a
// fake that fails after n bytes is how a test fails a write halfway.
var wrapWriter func(io.Writer) io.Writer

// stepHook, when set, is called as a write reaches each step: "created"
// (the temporary file exists, with its mode, empty), "written" (all data
// handed to the system), "synced", "closed" and "renamed" (the new file is
// in place, its folder not yet synced). An error it returns fails the write
// at that step. This package's tests set it; a posture built with the
// posturetest tag sets it from POSTURE_TEST_PAUSE (see pause_posturetest.go).
var stepHook func(step, path string) error

func hook(step, path string) error {
	if stepHook == nil {
		return nil
	}
	return stepHook(step, path)
}

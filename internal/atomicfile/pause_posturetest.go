//go:build posturetest

package atomicfile

import (
	"fmt"
	"io"
	"os"
)

// In a posture built with -tags posturetest (never a release),
// POSTURE_TEST_PAUSE=STEP stops the first write that reaches STEP: the
// process writes STEP and a newline to file descriptor 3, then reads file
// descriptor 4 until end of file. A test kills it there, or closes its end of
// descriptor 4 to let it go on; no clock is involved.
func init() {
	step := os.Getenv("POSTURE_TEST_PAUSE")
	if step == "" {
		return
	}
	stepHook = func(s, _ string) error {
		if s != step {
			return nil
		}
		step = "" // once
		ready, wait := os.NewFile(3, "ready"), os.NewFile(4, "wait")
		fmt.Fprintln(ready, s)
		ready.Close()
		io.Copy(io.Discard, wait)
		wait.Close()
		return nil
	}
}

// Command posture checks device security reports as code.
package main

import (
	"os"
	_ "time/tzdata" // the organisation's timezone, wherever posture runs

	"github.com/posture-dev/posture/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}))
}

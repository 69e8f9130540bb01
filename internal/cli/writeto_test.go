package cli

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/posture-dev/posture/internal/atomicfile/atomictest"
	"github.com/posture-dev/posture/internal/check"
)

// TestWriteToKeepsTheOldFile: overview and audit --output replace the file
// only with a complete new one.
func TestWriteToKeepsTheOldFile(t *testing.T) {
	old := []byte("<p>last month's overview</p>\n")
	page := bytes.Repeat([]byte("<tr><td>d-e1004-laptop</td><td>ok</td></tr>\n"), 500)
	errRender := errors.New("render failed")
	tests := []struct {
		name  string
		disk  func(t *testing.T) string
		write func(io.Writer) error
		full  bool  // fill the disk before writing
		want  error // nil: the new page is written
	}{
		{name: "written", disk: tempDir, write: func(w io.Writer) error { _, err := w.Write(page); return err }},
		{name: "rendering fails halfway", disk: tempDir, want: errRender, write: func(w io.Writer) error {
			w.Write(page[:len(page)/2])
			return errRender
		}},
		{name: "the disk is full", disk: fullDisk, full: true, want: syscall.ENOSPC, write: func(w io.Writer) error {
			for range 10 {
				w.Write(page) // errors ignored, as by fmt.Fprintf: the file must not be committed all the same
			}
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := tt.disk(t)
			p := filepath.Join(dir, "overview.html")
			if err := os.WriteFile(p, old, 0o644); err != nil {
				t.Fatal(err)
			}
			if tt.full {
				atomictest.Fill(t, dir)
			}
			err := writeTo(nil, p, tt.write)
			got, _ := os.ReadFile(p)
			switch {
			case tt.want == nil && (err != nil || !bytes.Equal(got, page)):
				t.Errorf("got %v and %d bytes, want the %d of the new page", err, len(got), len(page))
			case tt.want != nil && (!errors.Is(err, tt.want) || !bytes.Equal(got, old)):
				t.Errorf("got %v and %q, want %v and the old page", err, got, tt.want)
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if strings.Contains(e.Name(), ".tmp-") {
					t.Errorf("left behind: %s", e.Name())
				}
			}
		})
	}
}

func tempDir(t *testing.T) string { return t.TempDir() }

func fullDisk(t *testing.T) string { return atomictest.SmallDisk(t, 64<<10) }

func TestWriteToAMissingFolder(t *testing.T) {
	err := writeTo(nil, filepath.Join(t.TempDir(), "no", "audit.html"), func(io.Writer) error { return nil })
	var in *check.InputError
	if !errors.As(err, &in) || !strings.Contains(err.Error(), "cannot write") {
		t.Fatalf("got %v, want an input error saying it cannot write", err)
	}
}

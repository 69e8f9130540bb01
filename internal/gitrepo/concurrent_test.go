package gitrepo

import (
	"fmt"
	"io"
	"io/fs"
	"sync"
	"testing"
)

// TestTreeFSConcurrentReads reads one packed tree from several goroutines;
// run it with -race.
func TestTreeFSConcurrentReads(t *testing.T) {
	b := newBuilder(t, false)
	want := map[string]string{}
	for i := range 200 {
		p := fmt.Sprintf("reports/2026-%02d/device-%03d.yaml", i%12+1, i)
		want[p] = fmt.Sprintf("device: device-%03d\nscan: %d\n", i, i*7)
		b.write(p, want[p])
	}
	h := b.commit("records")
	b.ref("refs/heads/main", h)
	b.pack()
	r := b.open()
	fsys, err := r.TreeFS(commitObj(t, r, h))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Go(func() {
			err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				if _, err := d.Info(); err != nil {
					return err
				}
				if g%2 == 0 {
					data, err := fs.ReadFile(fsys, p)
					if err == nil && string(data) != want[p] {
						err = fmt.Errorf("ReadFile(%s) = %q, want %q", p, data, want[p])
					}
					return err
				}
				f, err := fsys.Open(p)
				if err != nil {
					return err
				}
				defer f.Close()
				data, err := io.ReadAll(f)
				if err == nil && string(data) != want[p] {
					err = fmt.Errorf("Open(%s) read %q, want %q", p, data, want[p])
				}
				return err
			})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// TestRepoConcurrentUse runs Changes, LastChanged, HeadEntries and TreeFS
// reads on one packed repository from several goroutines at once; run it
// with -race.
func TestRepoConcurrentUse(t *testing.T) {
	b := newBuilder(t, false)
	var paths []string
	for i := range 50 {
		paths = append(paths, fmt.Sprintf("people/p%02d.yaml", i))
		b.write(paths[i], "v0")
	}
	base := b.commit("base")
	head := base
	for i := range 20 {
		b.write(paths[i], fmt.Sprint("v", i+1))
		head = b.commit(fmt.Sprint("edit ", i), head)
	}
	b.ref("refs/heads/main", head)
	b.pack()
	r := b.open()
	bc, hc := commitObj(t, r, base), commitObj(t, r, head)
	fsys, err := r.TreeFS(hc)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4*8)
	for range 8 {
		wg.Go(func() {
			cs, err := r.Changes(bc, hc)
			if err == nil && len(cs) != 20 {
				err = fmt.Errorf("Changes found %d paths, want 20", len(cs))
			}
			errs <- err
		})
		wg.Go(func() {
			got, err := r.LastChanged(hc, paths)
			if err == nil && !got[paths[0]].Equal(b.when(1)) {
				err = fmt.Errorf("LastChanged(%s) = %v, want %v", paths[0], got[paths[0]], b.when(1))
			}
			errs <- err
		})
		wg.Go(func() {
			_, err := r.HeadEntries(hc, paths)
			errs <- err
		})
		wg.Go(func() {
			_, err := fs.ReadFile(fsys, paths[7])
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

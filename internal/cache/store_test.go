package cache

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func key(s string) Key { return NewKeyer("test").Add(s).Key() }

func fill(t *testing.T, dir string, n int, prefix string) {
	t.Helper()
	s, err := Open(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		s.Put(key(fmt.Sprint(prefix, i)), []byte(fmt.Sprintf("value %s%d\nwith a newline", prefix, i)))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func segmentFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*"+segmentExt))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	fill(t, dir, 100, "a")
	s, err := Open(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		v, ok := s.Get(key(fmt.Sprint("a", i)))
		if want := fmt.Sprintf("value a%d\nwith a newline", i); !ok || string(v) != want {
			t.Fatalf("entry %d: %q, %v", i, v, ok)
		}
	}
	if _, ok := s.Get(key("b0")); ok {
		t.Error("an entry never put was found")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if n := len(segmentFiles(t, dir)); n != 1 {
		t.Errorf("%d segments after a run that added nothing, want 1", n)
	}
}

// TestCorruption spoils a segment in the ways a disk, a killed run or a
// person can, and expects misses for what was spoilt, the rest intact, and
// never an error.
func TestCorruption(t *testing.T) {
	tests := []struct {
		name    string
		spoil   func([]byte) []byte
		minLost int // entries that must be missed
		maxLost int
	}{
		{name: "truncated in the middle", spoil: func(b []byte) []byte { return b[:len(b)/2] }, minLost: 1, maxLost: 100},
		{name: "truncated to nothing", spoil: func(b []byte) []byte { return nil }, minLost: 100, maxLost: 100},
		{name: "a byte of a value flipped", spoil: func(b []byte) []byte {
			i := bytes.Index(b, []byte("value a"))
			b[i+2] ^= 0x20
			return b
		}, minLost: 1, maxLost: 1},
		{name: "a key changed to another", spoil: func(b []byte) []byte {
			k1, k2 := key("a1").String(), key("a2").String()
			return bytes.Replace(b, []byte(k1), []byte(k2), 1)
		}, minLost: 1, maxLost: 1},
		{name: "a length that lies", spoil: func(b []byte) []byte {
			i := bytes.IndexByte(b[len(magic):], ' ') + len(magic)
			return append(b[:i+1], append([]byte("9"), b[i+1:]...)...)
		}, minLost: 1, maxLost: 100},
		{name: "not a segment", spoil: func(b []byte) []byte { return []byte("{\"json\": true}\n") }, minLost: 100, maxLost: 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			fill(t, dir, 100, "a")
			segs := segmentFiles(t, dir)
			data, err := os.ReadFile(segs[0])
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(segs[0], tt.spoil(data), 0o644); err != nil {
				t.Fatal(err)
			}
			s, err := Open(dir, 0)
			if err != nil {
				t.Fatal(err)
			}
			lost := 0
			for i := range 100 {
				v, ok := s.Get(key(fmt.Sprint("a", i)))
				if !ok {
					lost++
					continue
				}
				if want := fmt.Sprintf("value a%d\nwith a newline", i); string(v) != want {
					t.Errorf("entry %d reads %q, not %q: a spoilt entry must be a miss", i, v, want)
				}
			}
			if lost < tt.minLost || lost > tt.maxLost {
				t.Errorf("%d entries lost, want %d to %d", lost, tt.minLost, tt.maxLost)
			}
		})
	}
}

// TestConcurrentRuns lets runs that opened the folder at the same time each
// add their entries: none is lost, none is read half-written.
func TestConcurrentRuns(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	for r := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(dir, 0)
			if err != nil {
				t.Error(err)
				return
			}
			for i := range 50 {
				s.Put(key(fmt.Sprint(r, "-", i)), []byte(fmt.Sprint("run ", r, " entry ", i)))
			}
			if err := s.Close(); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	s, err := Open(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	for r := range 4 {
		for i := range 50 {
			if v, ok := s.Get(key(fmt.Sprint(r, "-", i))); !ok || string(v) != fmt.Sprint("run ", r, " entry ", i) {
				t.Fatalf("run %d entry %d: %q, %v", r, i, v, ok)
			}
		}
	}
}

// TestBounded keeps the folder under its size by dropping the oldest
// segments, and leaves stale temporary files of killed runs behind no
// longer than a day.
func TestBounded(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-25 * time.Hour)
	stale := filepath.Join(dir, "1-dead.seg.123.tmp")
	if err := os.WriteFile(stale, []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(stale, old, old)
	for run := range 5 {
		s, err := Open(dir, 16<<10)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 100 {
			s.Put(key(fmt.Sprint(run, "-", i)), bytes.Repeat([]byte{'x'}, 20))
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	var total int64
	for _, seg := range segmentFiles(t, dir) {
		info, _ := os.Stat(seg)
		total += info.Size()
	}
	if total > 16<<10 {
		t.Errorf("the folder holds %d bytes of segments, over its 16 KiB", total)
	}
	s, err := Open(dir, 16<<10)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Get(key("4-0")); !ok {
		t.Error("the newest run's entries were dropped")
	}
	if _, ok := s.Get(key("0-0")); ok {
		t.Error("the oldest run's entries were kept past the size")
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("a temporary file two hours old was left")
	}
}

// TestInUseSurvives: a run that finds entries in the cache keeps them
// there, however many later runs add to a small folder; entries nobody
// asks for go, oldest first.
func TestInUseSurvives(t *testing.T) {
	dir := t.TempDir()
	const max = 30 << 10
	s, err := Open(dir, max)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		s.Put(key(fmt.Sprint("live-", i)), bytes.Repeat([]byte{'x'}, 50))
	}
	for i := range 100 {
		s.Put(key(fmt.Sprint("idle-", i)), bytes.Repeat([]byte{'x'}, 50))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for run := range 40 {
		s, err := Open(dir, max)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 200 {
			if _, ok := s.Get(key(fmt.Sprint("live-", i))); !ok {
				t.Fatalf("run %d: entry live-%d in use by every run is gone", run, i)
			}
		}
		for i := range 10 {
			s.Put(key(fmt.Sprint("run-", run, "-", i)), bytes.Repeat([]byte{'y'}, 50))
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	s, err = Open(dir, max)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, ok := s.Get(key("idle-0")); ok {
		t.Error("an entry no run asked for stayed past the size")
	}
	var total int64
	for _, seg := range segmentFiles(t, dir) {
		info, _ := os.Stat(seg)
		total += info.Size()
	}
	if total > 2*max {
		t.Errorf("the folder holds %d bytes of segments, far over its %d", total, max)
	}
}

// TestNewestStays: a run whose own segment is larger than the folder's size
// keeps it; the folder then holds that segment alone.
func TestNewestStays(t *testing.T) {
	dir := t.TempDir()
	fill(t, dir, 10, "old")
	s, err := Open(dir, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		s.Put(key(fmt.Sprint("big-", i)), bytes.Repeat([]byte{'x'}, 100))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if n := len(segmentFiles(t, dir)); n != 1 {
		t.Fatalf("%d segments left, want the newest alone", n)
	}
	s, err = Open(dir, 1000)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, ok := s.Get(key("big-19")); !ok {
		t.Error("the newest run's entries were dropped")
	}
}

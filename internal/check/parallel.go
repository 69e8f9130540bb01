package check

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// parallel calls fn(i) for i in [0, n) on at most GOMAXPROCS goroutines and
// stops handing out work when ctx is done.
func parallel(ctx context.Context, n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}

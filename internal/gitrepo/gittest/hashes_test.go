package gittest

import "testing"

func TestStableHashes(t *testing.T) {
	in := "merge 0123456789abcdef0123456789abcdef01234567 (0123456789ab), then fedcba9876543210fedcba9876543210fedcba98 and 0123456789ab again; not a hash: 12345678901234567890x"
	want := "merge <commit-1> (<commit-1>), then <commit-2> and <commit-1> again; not a hash: 12345678901234567890x"
	if got := string(StableHashes([]byte(in))); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

package issuelink

import "testing"

func TestParse(t *testing.T) {
	tests := []struct {
		body string
		n    int
		ok   bool
	}{
		{Marker(12), 12, true},
		{"Report from the form.\n\n" + Marker(7) + "\nCloses #7", 7, true},
		{Marker(7) + Marker(7), 7, true},
		{Marker(7) + Marker(8), 0, false},
		{"Closes #7", 0, false},
		{"<!-- posture:from-issue 0 -->", 0, false},
		{"<!-- posture:from-issue 99999999999 -->", 0, false},
	}
	for _, tt := range tests {
		n, ok := Parse(tt.body)
		if n != tt.n || ok != tt.ok {
			t.Errorf("Parse(%q) = %d, %v; want %d, %v", tt.body, n, ok, tt.n, tt.ok)
		}
	}
	if Branch(3) != "posture/issue-3" {
		t.Error(Branch(3))
	}
}

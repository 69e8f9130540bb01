package finding

import (
	"slices"
	"testing"
)

func TestRules(t *testing.T) {
	for _, tc := range []struct {
		name string
		fs   []Finding
		want []string
	}{
		{"none", nil, []string{}},
		{"sorted once", []Finding{{Rule: "b"}, {Rule: "a"}, {Rule: "b"}}, []string{"a", "b"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Rules(tc.fs)
			if got == nil || !slices.Equal(got, tc.want) {
				t.Errorf("Rules = %#v, want %#v", got, tc.want)
			}
		})
	}
}

package main

import "testing"

func TestHalfRate(t *testing.T) {
	for _, tc := range []struct {
		peak, want float64
	}{
		{6105, 3000},
		{5481, 2700},
		{250, 100},
		{199, 99},
		{3, 1},
		{1, 1},
		{0, 1},
	} {
		if got := halfRate(tc.peak); got != tc.want {
			t.Errorf("halfRate(%v) = %v, want %v", tc.peak, got, tc.want)
		}
	}
}

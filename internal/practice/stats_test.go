package practice

import (
	"testing"
	"time"
)

func TestBuildStatsAndAdoption(t *testing.T) {
	t0 := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	sums := []FeatureSummary{
		{FeatureType: FeatureRoleplay, Sessions: 3, Completed: 2, Scored: 2, ScoreSum: 151, DurationSeconds: 90,
			FirstUsedAt: t0, LastUsedAt: t0.Add(time.Hour), SessionsSince7d: 1, CompletedSince30d: 2},
		{FeatureType: FeatureTranslator, Events: 4, FirstUsedAt: t0, LastUsedAt: t0},
	}
	st := BuildStats(sums)
	if st.TotalSessions != 3 || st.CompletedSessions != 2 || st.CompletionRate != 0.67 || st.TotalPracticeSeconds != 90 ||
		st.SessionsLast7Days != 1 || st.CompletedLast30Days != 2 || st.TotalEvents != 4 {
		t.Errorf("stats: got %+v", st)
	}
	if st.AverageScore == nil || *st.AverageScore != 75.5 {
		t.Errorf("average score: got %v, want 75.5", st.AverageScore)
	}
	if len(st.ByFeature) != len(Features) || st.ByFeature[0].FeatureType != FeatureRoleplay || st.ByFeature[1].AverageScore != nil {
		t.Errorf("byFeature: got %+v", st.ByFeature)
	}
	if empty := BuildStats(nil); empty.CompletionRate != 0 || empty.AverageScore != nil || len(empty.ByFeature) != len(Features) {
		t.Errorf("no data: got %+v", empty)
	}
	a := BuildAdoption(sums)
	if a.AdoptedCount != 2 || a.TotalFeatures != 5 || a.AdoptionRate != 0.4 {
		t.Errorf("adoption: got %+v", a)
	}
	for _, f := range a.Features {
		want := f.FeatureType == FeatureRoleplay || f.FeatureType == FeatureTranslator
		if f.Adopted != want || (f.FirstUsedAt != nil) != want {
			t.Errorf("%s: adopted %v first %v, want adopted %v", f.FeatureType, f.Adopted, f.FirstUsedAt, want)
		}
	}
}

func TestPatchApply(t *testing.T) {
	t0 := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	done, title, score := StatusCompleted, "New", 90
	s := Patch{Status: &done, Title: &title, Score: &score}.Apply(Session{Title: "Old", Status: StatusInProgress}, t0)
	if s.Title != "New" || s.Status != done || *s.Score != 90 || s.CompletedAt == nil || !s.CompletedAt.Equal(t0) || !s.UpdatedAt.Equal(t0) {
		t.Errorf("apply: got %+v", s)
	}
	again := Patch{Status: &done}.Apply(s, t0.Add(time.Hour))
	if !again.CompletedAt.Equal(t0) {
		t.Errorf("second completion moved CompletedAt to %v", again.CompletedAt)
	}
	back := StatusAbandoned
	if left := (Patch{Status: &back}).Apply(again, t0.Add(2*time.Hour)); left.CompletedAt != nil {
		t.Errorf("leaving completed kept CompletedAt %v; stats would still count it", left.CompletedAt)
	}
}

func TestDays(t *testing.T) {
	tm := time.Date(2030, 12, 31, 23, 59, 0, 0, time.FixedZone("X", -5*3600)) // already Jan 1 in UTC
	if Day(tm) != "2031-01-01" || !NextDay(tm).Equal(time.Date(2031, 1, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Day %s NextDay %v", Day(tm), NextDay(tm))
	}
}

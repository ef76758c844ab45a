package practice

import (
	"math"
	"time"
)

// FeatureStats is one feature's line in Stats.
type FeatureStats struct {
	FeatureType     string   `json:"featureType"`
	Sessions        int      `json:"sessions"`
	Completed       int      `json:"completed"`
	AverageScore    *float64 `json:"averageScore"` // nil when no session is scored
	PracticeSeconds int      `json:"practiceSeconds"`
}

// Stats is a user's practice summary (GET /api/analytics/stats).
type Stats struct {
	TotalSessions        int            `json:"totalSessions"`
	CompletedSessions    int            `json:"completedSessions"`
	CompletionRate       float64        `json:"completionRate"` // 0–1
	AverageScore         *float64       `json:"averageScore"`
	TotalPracticeSeconds int            `json:"totalPracticeSeconds"`
	SessionsLast7Days    int            `json:"sessionsLast7Days"`
	CompletedLast30Days  int            `json:"completedLast30Days"`
	TotalEvents          int            `json:"totalEvents"`
	ByFeature            []FeatureStats `json:"byFeature"`
}

// FeatureAdoption is one feature's line in Adoption.
type FeatureAdoption struct {
	FeatureType string     `json:"featureType"`
	Adopted     bool       `json:"adopted"` // used at least once (a session or an event)
	Sessions    int        `json:"sessions"`
	Events      int        `json:"events"`
	FirstUsedAt *time.Time `json:"firstUsedAt"`
	LastUsedAt  *time.Time `json:"lastUsedAt"`
}

// Adoption says which features a user has taken up (GET /api/analytics/adoption).
type Adoption struct {
	Features      []FeatureAdoption `json:"features"`
	AdoptedCount  int               `json:"adoptedCount"`
	TotalFeatures int               `json:"totalFeatures"`
	AdoptionRate  float64           `json:"adoptionRate"` // 0–1
}

// round2 keeps two decimals so JSON stays readable.
func round2(x float64) float64 { return math.Round(x*100) / 100 }

func avg(sum, n int) *float64 {
	if n == 0 {
		return nil
	}
	v := round2(float64(sum) / float64(n))
	return &v
}

// byFeature indexes summaries by feature type.
func byFeature(sums []FeatureSummary) map[string]FeatureSummary {
	m := make(map[string]FeatureSummary, len(sums))
	for _, s := range sums {
		m[s.FeatureType] = s
	}
	return m
}

// BuildStats totals the summaries. Every known feature gets a line (zeros
// if unused), in Features order.
func BuildStats(sums []FeatureSummary) Stats {
	var st Stats
	var scored, scoreSum int
	m := byFeature(sums)
	st.ByFeature = make([]FeatureStats, 0, len(Features))
	for _, f := range Features {
		s := m[f]
		st.ByFeature = append(st.ByFeature, FeatureStats{
			FeatureType: f, Sessions: s.Sessions, Completed: s.Completed,
			AverageScore: avg(s.ScoreSum, s.Scored), PracticeSeconds: s.DurationSeconds,
		})
	}
	for _, s := range sums {
		st.TotalSessions += s.Sessions
		st.CompletedSessions += s.Completed
		st.TotalPracticeSeconds += s.DurationSeconds
		st.SessionsLast7Days += s.SessionsSince7d
		st.CompletedLast30Days += s.CompletedSince30d
		st.TotalEvents += s.Events
		scored += s.Scored
		scoreSum += s.ScoreSum
	}
	if st.TotalSessions > 0 {
		st.CompletionRate = round2(float64(st.CompletedSessions) / float64(st.TotalSessions))
	}
	st.AverageScore = avg(scoreSum, scored)
	return st
}

// BuildAdoption says, for every known feature, whether and when the user
// used it.
func BuildAdoption(sums []FeatureSummary) Adoption {
	m := byFeature(sums)
	a := Adoption{Features: make([]FeatureAdoption, 0, len(Features)), TotalFeatures: len(Features)}
	for _, f := range Features {
		s := m[f]
		line := FeatureAdoption{FeatureType: f, Sessions: s.Sessions, Events: s.Events}
		if s.Sessions+s.Events > 0 {
			line.Adopted = true
			a.AdoptedCount++
		}
		if !s.FirstUsedAt.IsZero() {
			t := s.FirstUsedAt.UTC()
			line.FirstUsedAt = &t
		}
		if !s.LastUsedAt.IsZero() {
			t := s.LastUsedAt.UTC()
			line.LastUsedAt = &t
		}
		a.Features = append(a.Features, line)
	}
	a.AdoptionRate = round2(float64(a.AdoptedCount) / float64(a.TotalFeatures))
	return a
}

// Day is the UTC calendar day of t as the usage key ("2006-01-02").
func Day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// NextDay is the start of the UTC day after t: when a daily quota resets.
func NextDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
}

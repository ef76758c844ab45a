package server

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// createPractice makes a session for u and returns its ID.
func (e *env) createPractice(u *user, body string) string {
	e.t.Helper()
	r := e.do(req{method: "POST", path: "/api/practice-sessions", bearer: u.access, body: body})
	if r.status != http.StatusCreated {
		e.t.Fatalf("create practice: %d %s", r.status, r.body)
	}
	return r.json["session"].(map[string]any)["id"].(string)
}

func session(r resp) map[string]any {
	s, _ := r.json["session"].(map[string]any)
	return s
}

func TestPracticeScenarios(t *testing.T) {
	runScenarios(t, []scenario{
		{name: "create", setup: func(e *env) req {
			return req{method: "POST", path: "/api/practice-sessions", bearer: e.users["ana"].access,
				body: `{"featureType":"roleplay","title":"Ask for a raise","data":{"scenario":"raise"}}`}
		},
			wantStatus: http.StatusCreated,
			check: func(t *testing.T, e *env, r resp) {
				s := session(r)
				if s["userId"] != e.users["ana"].id || s["featureType"] != "roleplay" || s["status"] != "in_progress" ||
					s["title"] != "Ask for a raise" || s["score"] != nil || s["completedAt"] != nil {
					t.Errorf("session: got %v", s)
				}
				if d := s["data"].(map[string]any); d["scenario"] != "raise" {
					t.Errorf("data: got %v", d)
				}
			}},
		{name: "create completed stamps completedAt", setup: func(e *env) req {
			return req{method: "POST", path: "/api/practice-sessions", bearer: e.users["ana"].access,
				body: `{"featureType":"review","status":"completed","score":88,"durationSeconds":120}`}
		},
			wantStatus: http.StatusCreated,
			check: func(t *testing.T, e *env, r resp) {
				if s := session(r); s["completedAt"] == nil || s["score"] != float64(88) {
					t.Errorf("session: got %v", s)
				}
			}},
		{name: "unknown feature", setup: func(e *env) req {
			return req{method: "POST", path: "/api/practice-sessions", bearer: e.users["ana"].access, body: `{"featureType":"karaoke"}`}
		},
			wantStatus: http.StatusBadRequest, wantError: "featureType must be one of: roleplay, review, listening, translator, ask_cara"},
		{name: "missing feature", setup: func(e *env) req {
			return req{method: "POST", path: "/api/practice-sessions", bearer: e.users["ana"].access, body: `{"title":"x"}`}
		},
			wantStatus: http.StatusBadRequest, wantError: "featureType is required (one of: roleplay, review, listening, translator, ask_cara)"},
		{name: "score out of range", setup: func(e *env) req {
			return req{method: "POST", path: "/api/practice-sessions", bearer: e.users["ana"].access, body: `{"featureType":"review","score":101}`}
		},
			wantStatus: http.StatusBadRequest, wantError: "score must be a whole number from 0 to 100"},
		{name: "score with a fraction", setup: func(e *env) req {
			return req{method: "POST", path: "/api/practice-sessions", bearer: e.users["ana"].access, body: `{"featureType":"review","score":87.5}`}
		},
			wantStatus: http.StatusBadRequest, wantError: "score must be a whole number from 0 to 100"},
		{name: "score as a string", setup: func(e *env) req {
			return req{method: "POST", path: "/api/practice-sessions", bearer: e.users["ana"].access, body: `{"featureType":"review","score":"87"}`}
		},
			wantStatus: http.StatusBadRequest, wantError: "score must be a whole number from 0 to 100"},
		{name: "duration with a fraction", setup: func(e *env) req {
			return req{method: "POST", path: "/api/practice-sessions", bearer: e.users["ana"].access, body: `{"featureType":"review","durationSeconds":1.5}`}
		},
			wantStatus: http.StatusBadRequest, wantError: "durationSeconds must be a whole number from 0 to 86400"},
		{name: "huge duration", setup: func(e *env) req {
			return req{method: "PATCH", path: "/api/practice-sessions/" + e.createPractice(e.users["ana"], `{"featureType":"review"}`),
				bearer: e.users["ana"].access, body: `{"durationSeconds":1e30}`}
		},
			wantStatus: http.StatusBadRequest, wantError: "durationSeconds must be a whole number from 0 to 86400"},
		{name: "data number out of range", setup: func(e *env) req {
			return req{method: "POST", path: "/api/practice-sessions", bearer: e.users["ana"].access, body: `{"featureType":"review","data":{"a":1e400}}`}
		},
			wantStatus: http.StatusBadRequest, wantError: "data has a number out of range: 1e400 (a double holds ±4.9e-324 to ±1.8e308)"},
		{name: "data nested too deeply", setup: func(e *env) req {
			return req{method: "POST", path: "/api/practice-sessions", bearer: e.users["ana"].access,
				body: `{"featureType":"review","data":{"a":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}}`}
		},
			wantStatus: http.StatusBadRequest, wantError: "data is nested too deeply (at most 64 levels of objects and arrays)"},
		{name: "body nested past the decoder's limit", setup: func(e *env) req {
			return req{method: "POST", path: "/api/practice-sessions", bearer: e.users["ana"].access,
				body: `{"featureType":"review","data":{"a":` + strings.Repeat("[", 100_000) + `}}`}
		},
			wantStatus: http.StatusBadRequest, wantError: "Request body is not valid JSON: it is nested too deeply"},
		{name: "data keeps every digit", setup: func(e *env) req {
			return req{method: "POST", path: "/api/practice-sessions", bearer: e.users["ana"].access,
				body: `{"featureType":"review","score":87.0,"data":{"big":123456789012345678901234567890,"x":0.1000000000000000055511151231257827}}`}
		},
			wantStatus: http.StatusCreated,
			check: func(t *testing.T, e *env, r resp) {
				id := session(r)["id"].(string)
				for _, got := range []resp{r, e.do(req{method: "GET", path: "/api/practice-sessions/" + id, bearer: e.users["ana"].access})} {
					for _, want := range []string{`"big":123456789012345678901234567890`, `"x":0.1000000000000000055511151231257827`, `"score":87,`} {
						if !strings.Contains(string(got.body), want) {
							t.Errorf("body %s: missing %s", got.body, want)
						}
					}
				}
			}},
		{name: "data not an object", setup: func(e *env) req {
			return req{method: "POST", path: "/api/practice-sessions", bearer: e.users["ana"].access, body: `{"featureType":"review","data":[1,2]}`}
		},
			wantStatus: http.StatusBadRequest, wantError: "data must be a JSON object"},
		{name: "NUL in data (PostgreSQL's jsonb can't hold it)", setup: func(e *env) req {
			return req{method: "POST", path: "/api/practice-sessions", bearer: e.users["ana"].access, body: `{"featureType":"review","data":{"notes":["ok",{"k":"a\u0000b"}]}}`}
		},
			wantStatus: http.StatusBadRequest, wantError: `data must not contain NUL characters (\u0000)`},
		{name: "data too big", setup: func(e *env) req {
			return req{method: "POST", path: "/api/practice-sessions", bearer: e.users["ana"].access,
				body: `{"featureType":"review","data":{"x":"` + strings.Repeat("a", 70_000) + `"}}`}
		},
			wantStatus: http.StatusBadRequest, wantError: "data must be at most 64 KB of JSON"},
		{name: "no token", setup: func(e *env) req {
			return req{method: "POST", path: "/api/practice-sessions", body: `{"featureType":"review"}`}
		},
			wantStatus: http.StatusUnauthorized, wantError: "Access token required"},
		{name: "get own", setup: func(e *env) req {
			id := e.createPractice(e.users["ana"], `{"featureType":"listening"}`)
			return req{method: "GET", path: "/api/practice-sessions/" + id, bearer: e.users["ana"].access}
		},
			wantStatus: http.StatusOK, wantKeys: []string{"session"}},
		{name: "get another user's is 404", setup: func(e *env) req {
			id := e.createPractice(e.users["bob"], `{"featureType":"listening"}`)
			return req{method: "GET", path: "/api/practice-sessions/" + id, bearer: e.users["ana"].access}
		},
			wantStatus: http.StatusNotFound, wantError: "Practice session not found"},
		{name: "update another user's is 404 and changes nothing", setup: func(e *env) req {
			id := e.createPractice(e.users["bob"], `{"featureType":"listening","title":"Bob's"}`)
			e.users["bob"].refresh = id // remember it for the check
			return req{method: "PATCH", path: "/api/practice-sessions/" + id, bearer: e.users["ana"].access, body: `{"title":"mine now"}`}
		},
			wantStatus: http.StatusNotFound, wantError: "Practice session not found",
			check: func(t *testing.T, e *env, r resp) {
				got := e.do(req{method: "GET", path: "/api/practice-sessions/" + e.users["bob"].refresh, bearer: e.users["bob"].access})
				if session(got)["title"] != "Bob's" {
					t.Errorf("bob's session after ana's update: %s", got.body)
				}
			}},
		{name: "update completes", setup: func(e *env) req {
			id := e.createPractice(e.users["ana"], `{"featureType":"roleplay"}`)
			e.clock.Add(time.Minute)
			return req{method: "PATCH", path: "/api/practice-sessions/" + id, bearer: e.users["ana"].access,
				body: `{"status":"completed","score":75,"durationSeconds":600}`}
		},
			wantStatus: http.StatusOK,
			check: func(t *testing.T, e *env, r resp) {
				s := session(r)
				if s["status"] != "completed" || s["score"] != float64(75) || s["durationSeconds"] != float64(600) || s["completedAt"] == nil {
					t.Errorf("session: got %v", s)
				}
				if s["updatedAt"] == s["createdAt"] {
					t.Errorf("updatedAt not moved: %v", s)
				}
			}},
		{name: "PUT works like PATCH", setup: func(e *env) req {
			id := e.createPractice(e.users["ana"], `{"featureType":"roleplay"}`)
			return req{method: "PUT", path: "/api/practice-sessions/" + id, bearer: e.users["ana"].access, body: `{"title":"Renamed"}`}
		},
			wantStatus: http.StatusOK},
		{name: "featureType can't change", setup: func(e *env) req {
			id := e.createPractice(e.users["ana"], `{"featureType":"roleplay"}`)
			return req{method: "PATCH", path: "/api/practice-sessions/" + id, bearer: e.users["ana"].access, body: `{"featureType":"review"}`}
		},
			wantStatus: http.StatusBadRequest, wantError: "featureType can't be changed"},
		{name: "bad status", setup: func(e *env) req {
			id := e.createPractice(e.users["ana"], `{"featureType":"roleplay"}`)
			return req{method: "PATCH", path: "/api/practice-sessions/" + id, bearer: e.users["ana"].access, body: `{"status":"done"}`}
		},
			wantStatus: http.StatusBadRequest, wantError: "status must be one of: in_progress, completed, abandoned"},
	})
}

func TestPracticeListPaging(t *testing.T) {
	stores(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind, nil)
		ana, bob := e.register("ana"), e.register("bob")
		var ids []string // oldest first
		for i := range 5 {
			f := "roleplay"
			if i%2 == 1 {
				f = "review"
			}
			ids = append(ids, e.createPractice(ana, fmt.Sprintf(`{"featureType":%q}`, f)))
			e.clock.Add(time.Second)
		}
		e.createPractice(bob, `{"featureType":"roleplay"}`)
		tests := []struct {
			query     string
			want      []string
			wantPages float64
			wantTotal float64
		}{
			{"", []string{ids[4], ids[3], ids[2], ids[1], ids[0]}, 1, 5},
			{"?limit=2", []string{ids[4], ids[3]}, 3, 5},
			{"?limit=2&page=3", []string{ids[0]}, 3, 5},
			{"?limit=2&page=4", nil, 3, 5},
			{"?featureType=review", []string{ids[3], ids[1]}, 1, 2},
			{"?featureType=listening", nil, 0, 0},
		}
		for _, tt := range tests {
			r := e.do(req{method: "GET", path: "/api/practice-sessions" + tt.query, bearer: ana.access})
			if r.status != http.StatusOK {
				t.Fatalf("%s: %d %s", tt.query, r.status, r.body)
			}
			var got []string
			for _, s := range r.json["sessions"].([]any) {
				got = append(got, s.(map[string]any)["id"].(string))
			}
			p := r.json["pagination"].(map[string]any)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) || p["total"] != tt.wantTotal || p["totalPages"] != tt.wantPages {
				t.Errorf("%q: got %v %v, want %v total %v pages %v", tt.query, got, p, tt.want, tt.wantTotal, tt.wantPages)
			}
		}
		for _, q := range []string{"?page=0", "?limit=101", "?limit=x", "?featureType=karaoke"} {
			if r := e.do(req{method: "GET", path: "/api/practice-sessions" + q, bearer: ana.access}); r.status != http.StatusBadRequest {
				t.Errorf("%s: got %d, want 400", q, r.status)
			}
		}
	})
}

func TestAnalytics(t *testing.T) {
	stores(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind, nil)
		ana, bob := e.register("ana"), e.register("bob")
		e.createPractice(ana, `{"featureType":"roleplay","status":"completed","score":80,"durationSeconds":100}`)
		e.createPractice(ana, `{"featureType":"roleplay","score":60,"durationSeconds":50}`)
		e.createPractice(ana, `{"featureType":"review","status":"completed"}`)
		e.createPractice(bob, `{"featureType":"listening","status":"completed","score":10}`)
		ev := e.do(req{method: "POST", path: "/api/analytics/events", bearer: ana.access,
			body: `{"eventType":"feature_opened","featureType":"translator","properties":{"from":"pt"}}`})
		if ev.status != http.StatusCreated || ev.json["event"].(map[string]any)["eventType"] != "feature_opened" {
			t.Fatalf("add event: %d %s", ev.status, ev.body)
		}
		for _, bad := range []string{`{"eventType":""}`, `{"eventType":"Has Spaces"}`, `{"eventType":"x","featureType":"karaoke"}`, `{"eventType":"x","properties":"str"}`} {
			if r := e.do(req{method: "POST", path: "/api/analytics/events", bearer: ana.access, body: bad}); r.status != http.StatusBadRequest {
				t.Errorf("event %s: got %d, want 400", bad, r.status)
			}
		}

		st := e.do(req{method: "GET", path: "/api/analytics/stats", bearer: ana.access})
		if st.status != http.StatusOK {
			t.Fatalf("stats: %d %s", st.status, st.body)
		}
		want := map[string]any{
			"totalSessions": 3.0, "completedSessions": 2.0, "completionRate": 0.67, "averageScore": 70.0,
			"totalPracticeSeconds": 150.0, "sessionsLast7Days": 3.0, "completedLast30Days": 2.0, "totalEvents": 1.0,
		}
		for k, v := range want {
			if st.json[k] != v {
				t.Errorf("stats %s: got %v, want %v", k, st.json[k], v)
			}
		}
		byFeature := st.json["byFeature"].([]any)
		if len(byFeature) != 5 {
			t.Fatalf("byFeature: got %d lines, want 5", len(byFeature))
		}
		if rp := byFeature[0].(map[string]any); rp["featureType"] != "roleplay" || rp["sessions"] != 2.0 || rp["averageScore"] != 70.0 {
			t.Errorf("roleplay line: got %v", rp)
		}

		ad := e.do(req{method: "GET", path: "/api/analytics/adoption", bearer: ana.access})
		if ad.status != http.StatusOK || ad.json["adoptedCount"] != 3.0 || ad.json["totalFeatures"] != 5.0 || ad.json["adoptionRate"] != 0.6 {
			t.Fatalf("adoption: %d %s", ad.status, ad.body)
		}
		adopted := map[string]bool{}
		for _, f := range ad.json["features"].([]any) {
			m := f.(map[string]any)
			adopted[m["featureType"].(string)] = m["adopted"].(bool)
		}
		wantAdopted := map[string]bool{"roleplay": true, "review": true, "translator": true, "listening": false, "ask_cara": false}
		if fmt.Sprint(adopted) != fmt.Sprint(wantAdopted) {
			t.Errorf("adopted: got %v, want %v (bob's listening must not count)", adopted, wantAdopted)
		}
	})
}

// TestMalformedIDsAreNotFound: an ID that can't be a ULID (NUL, invalid
// UTF-8, anything else) is a plain 404 on every store, never a 500 from
// PostgreSQL refusing it.
func TestMalformedIDsAreNotFound(t *testing.T) {
	ids := []string{"%00", "%ff%fe", "a%00b", "not-a-ulid", "01ZZZZZZZZZZZZZZZZZZZZZZZ%00", "81ZZZZZZZZZZZZZZZZZZZZZZZZ"}
	routes := []struct {
		method, prefix, body, wantError string
	}{
		{"GET", "/api/practice-sessions/", "", "Practice session not found"},
		{"PATCH", "/api/practice-sessions/", `{"title":"x"}`, "Practice session not found"},
		{"PUT", "/api/practice-sessions/", `{"title":"x"}`, "Practice session not found"},
		{"DELETE", "/api/auth/sessions/", "", "That session no longer exists"},
	}
	stores(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind, nil)
		ana := e.register("ana")
		for _, rt := range routes {
			for _, id := range ids {
				r := e.do(req{method: rt.method, path: rt.prefix + id, bearer: ana.access, body: rt.body})
				if r.status != http.StatusNotFound || errMsg(r) != rt.wantError {
					t.Errorf("%s %s%s: got %d %s, want 404 %q", rt.method, rt.prefix, id, r.status, r.body, rt.wantError)
				}
			}
		}
		if strings.Contains(e.logText(), `"level":"ERROR"`) {
			t.Errorf("a malformed ID was logged as an error:\n%s", e.logText())
		}
	})
}

// TestPracticeUpdateNullKeeps pins PATCH's (and PUT's) partial-update rule:
// a field that is null or absent is left as it is, so nothing can be
// cleared once set (score, say); only updatedAt moves.
func TestPracticeUpdateNullKeeps(t *testing.T) {
	const created = `{"featureType":"roleplay","title":"Ask for a raise","status":"completed","score":80,"durationSeconds":600,"data":{"scenario":"raise"}}`
	tests := []struct {
		name, method, body string
	}{
		{"empty object", "PATCH", `{}`},
		{"title null", "PATCH", `{"title":null}`},
		{"status null", "PATCH", `{"status":null}`},
		{"score null", "PATCH", `{"score":null}`},
		{"durationSeconds null", "PATCH", `{"durationSeconds":null}`},
		{"data null", "PATCH", `{"data":null}`},
		{"featureType null", "PATCH", `{"featureType":null}`},
		{"every field null", "PATCH", `{"featureType":null,"title":null,"status":null,"score":null,"durationSeconds":null,"data":null}`},
		{"every field null, PUT", "PUT", `{"featureType":null,"title":null,"status":null,"score":null,"durationSeconds":null,"data":null}`},
	}
	stores(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind, nil)
		ana := e.register("ana")
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				id := e.createPractice(ana, created)
				before := session(e.do(req{method: "GET", path: "/api/practice-sessions/" + id, bearer: ana.access}))
				e.clock.Add(time.Minute)
				r := e.do(req{method: tt.method, path: "/api/practice-sessions/" + id, bearer: ana.access, body: tt.body})
				if r.status != http.StatusOK {
					t.Fatalf("status: got %d, want 200: %s", r.status, r.body)
				}
				after := session(e.do(req{method: "GET", path: "/api/practice-sessions/" + id, bearer: ana.access}))
				for _, k := range []string{"id", "userId", "featureType", "title", "status", "score", "durationSeconds", "completedAt", "createdAt"} {
					if fmt.Sprint(after[k]) != fmt.Sprint(before[k]) {
						t.Errorf("%s: got %v, want it kept (%v)", k, after[k], before[k])
					}
				}
				if fmt.Sprint(after["data"]) != fmt.Sprint(before["data"]) || after["score"] != float64(80) {
					t.Errorf("data/score: got %v / %v, want kept", after["data"], after["score"])
				}
				if after["updatedAt"] == before["updatedAt"] {
					t.Errorf("updatedAt did not move: %v", after["updatedAt"])
				}
				if fmt.Sprint(session(r)) != fmt.Sprint(after) {
					t.Errorf("the answer %v is not what GET then reads %v", session(r), after)
				}
			})
		}
	})
}

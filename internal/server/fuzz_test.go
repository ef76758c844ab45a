package server

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

// FuzzDecodeJSON: any body decodes or fails with a person-facing 400
// message; it never panics or accepts trailing data.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{}`, `{"email":"a@b.c","password":"x"}`, `{`, `[]`, `{"a":1} {}`, `{"email":1}`, "\x00", `"str"`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var dst struct {
			registerRequest
			practiceFields
		}
		err := strictUnmarshal(body, &dst)
		if err == nil {
			return
		}
		var br badRequest
		if !errors.As(err, &br) || !strings.HasPrefix(br.Error(), msgBadJSON) {
			t.Fatalf("error %T %q: want a badRequest starting with %q", err, err, msgBadJSON)
		}
		if _, perr := (practiceFields{Data: body}).patch(); perr != nil && !strings.Contains(perr.Error(), "data must") {
			t.Fatalf("patch error %q", perr)
		}
	})
}

// FuzzAuthInputs drives register, login and refresh with arbitrary
// strings: the answer is always a 2xx or 4xx JSON error, never a 500.
func FuzzAuthInputs(f *testing.F) {
	f.Add("ana@example.com", "Tr1cky-Parrot-42", "Ana", "tok")
	f.Add("ＡＮＡ@example.com", "Aa1"+strings.Repeat("é", 40), "\u202eEvil", strings.Repeat("A", 43))
	f.Add("", "", "", "")
	f.Add("a@b", "\x00\x00", "\n", "-_-_")
	e := newEnv(f, "bbolt", nil)
	f.Fuzz(func(t *testing.T, email, password, name, token string) {
		e.t = t
		for _, r := range []req{
			{method: "POST", path: "/api/auth/register", body: jsonBody(map[string]string{"email": email, "password": password, "name": name, "role": name})},
			{method: "POST", path: "/api/auth/login", body: jsonBody(map[string]string{"email": email, "password": password})},
			{method: "POST", path: "/api/auth/refresh", body: jsonBody(map[string]string{"refreshToken": token})},
			{method: "GET", path: "/api/auth/verify", bearer: token},
		} {
			got := e.do(r)
			if got.status >= 500 || (got.status >= 400 && errMsg(got) == "") {
				t.Fatalf("%s %s: got %d %s", r.method, r.path, got.status, got.body)
			}
			if got.status == http.StatusTooManyRequests {
				return // the throttle did its job on a repeated email
			}
		}
	})
}

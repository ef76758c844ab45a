package server

import (
	"fmt"

	"github.com/getsentry/sentry-go"
)

// NewSentryHub makes the hub the server reports 500s and panics to (its own
// client, no global state). Events carry the method, path and user ID
// only: scrubEvent removes everything else that could identify a person or
// hold a secret.
func NewSentryHub(cfg Config, release string) (*sentry.Hub, error) {
	return newSentryHub(cfg, release, nil)
}

func newSentryHub(cfg Config, release string, transport sentry.Transport) (*sentry.Hub, error) {
	client, err := sentry.NewClient(sentry.ClientOptions{
		Dsn:            cfg.SentryDSN,
		Environment:    cfg.Env,
		Release:        "cara-server@" + release,
		SendDefaultPII: false,
		BeforeSend:     scrubEvent,
		Transport:      transport,
	})
	if err != nil {
		// The DSN holds a key: never echo it.
		return nil, fmt.Errorf("SENTRY_DSN is not a valid Sentry DSN")
	}
	return sentry.NewHub(client, sentry.NewScope()), nil
}

// scrubEvent drops request details (headers, cookies, query, body, client
// address) and source context, keeps only the user's ID, and removes the
// server name.
func scrubEvent(e *sentry.Event, _ *sentry.EventHint) *sentry.Event {
	if e.Request != nil {
		e.Request = &sentry.Request{Method: e.Request.Method, URL: e.Request.URL}
	}
	e.User = sentry.User{ID: e.User.ID}
	e.ServerName = ""
	for i := range e.Breadcrumbs {
		e.Breadcrumbs[i].Data = nil
	}
	delete(e.Contexts, "device")
	// Source lines around each frame are not needed to find a bug by
	// function and line, and could quote anything.
	for i := range e.Exception {
		if st := e.Exception[i].Stacktrace; st != nil {
			for j := range st.Frames {
				f := &st.Frames[j]
				f.PreContext, f.ContextLine, f.PostContext, f.Vars = nil, "", nil, nil
			}
		}
	}
	return e
}

package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/coach"
)

// Transfer carries a call whose arguments are too large for one message of
// the browser bridge. In `wails dev` opened in a browser, calls travel over
// a websocket whose reader (Wails 2.9.2, golang.org/x/net/websocket) takes
// only the first frame of a message, and Chromium splits a message of more
// than 64 KiB into frames: the rest of the call then arrives as a message of
// its own, which Wails logs verbatim — the user's text in the log — while
// the call never settles. So the UI (src/api/bridge.ts) sends such a call's
// JSON arguments here in base64 pieces that fit one frame, and Finish runs
// the call in Go. Only the methods registered as targets can be called this
// way: the few whose arguments can be large (a long text, a file).
type Transfer struct {
	now     func() time.Time
	targets map[string]transferTarget

	mu   sync.Mutex
	open map[string]*upload
}

// transferTarget runs one bound method from its JSON argument list.
type transferTarget func(args []json.RawMessage) (any, error)

// upload is one call being sent in pieces.
type upload struct {
	method  string
	size    int // bytes announced by Begin
	data    bytes.Buffer
	started time.Time
}

const (
	// MaxTransferBytes bounds one call's arguments: the largest file Cara
	// imports (1 MB of e-mail), base64-encoded inside JSON, with room.
	MaxTransferBytes = 4 << 20
	// maxOpenTransfers bounds memory held for unfinished calls.
	maxOpenTransfers = 4
	// transferTTL drops a call whose pieces stopped coming (a closed tab).
	transferTTL = 2 * time.Minute
)

// NewTransfer returns the Transfer service for the given targets, keyed
// "Service.Method" as the UI names them.
func NewTransfer(targets map[string]transferTarget) *Transfer {
	return &Transfer{now: time.Now, targets: targets, open: map[string]*upload{}}
}

func (t *Transfer) startup(context.Context) {}

// transferError is a refusal the UI shows as it is.
func transferError(code, msg string) error {
	return uiError(slog.Default(), "Transfer", &cara.Error{Code: code, Message: msg})
}

// Begin opens a call of method whose JSON arguments are size bytes long and
// returns its id for Append and Finish.
func (t *Transfer) Begin(method string, size int) (string, error) {
	if _, ok := t.targets[method]; !ok {
		return "", transferError(cara.EINVALID, "This call can't be sent in pieces")
	}
	if size <= 0 || size > MaxTransferBytes {
		return "", transferError(cara.ETOOLARGE, "This is too large to send to Cara (max 4 MB)")
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.dropStale()
	if len(t.open) >= maxOpenTransfers {
		return "", transferError(cara.ETOOMANY, "Cara is still receiving other large requests — try again in a moment")
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	t.open[id] = &upload{method: method, size: size, started: t.now()}
	return id, nil
}

// Append adds the next piece (base64 of the next bytes) to call id.
func (t *Transfer) Append(id, piece string) error {
	raw, err := base64.StdEncoding.DecodeString(piece)
	if err != nil {
		return transferError(cara.EINVALID, "A piece of the request was damaged — try again")
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	u, ok := t.open[id]
	if !ok {
		return transferError(cara.ENOTFOUND, "Cara lost this request — try again")
	}
	if u.data.Len()+len(raw) > u.size {
		delete(t.open, id)
		return transferError(cara.ETOOLARGE, "The request grew past its announced size — try again")
	}
	u.data.Write(raw)
	return nil
}

// Finish runs call id once all its bytes have come, and answers what the
// method answers (its result, or its error as the UI knows it).
func (t *Transfer) Finish(id string) (any, error) {
	t.mu.Lock()
	u, ok := t.open[id]
	delete(t.open, id)
	t.mu.Unlock()
	if !ok {
		return nil, transferError(cara.ENOTFOUND, "Cara lost this request — try again")
	}
	if u.data.Len() != u.size {
		return nil, transferError(cara.EINVALID, "Part of the request is missing — try again")
	}
	var args []json.RawMessage
	if err := json.Unmarshal(u.data.Bytes(), &args); err != nil {
		return nil, transferError(cara.EINVALID, "The request was damaged on the way — try again")
	}
	return t.targets[u.method](args)
}

// dropStale forgets calls older than transferTTL; t.mu is held.
func (t *Transfer) dropStale() {
	for id, u := range t.open {
		if t.now().Sub(u.started) > transferTTL {
			delete(t.open, id)
		}
	}
}

// decodeArgs unmarshals a call's positional JSON arguments into dst, which
// must be as many pointers as the method has parameters.
func decodeArgs(args []json.RawMessage, dst ...any) error {
	if len(args) != len(dst) {
		return transferError(cara.EINVALID, "The request has the wrong number of arguments")
	}
	for i, a := range args {
		if err := json.Unmarshal(a, dst[i]); err != nil {
			return transferError(cara.EINVALID, "The request was damaged on the way — try again")
		}
	}
	return nil
}

// transferTargets are the bound methods whose arguments can be too large
// for one browser message: a review's text and the files Cara imports.
func transferTargets(c *Coach, p *Practice) map[string]transferTarget {
	return map[string]transferTarget{
		"Coach.Review": func(args []json.RawMessage) (any, error) {
			var in coach.ReviewInput
			if err := decodeArgs(args, &in); err != nil {
				return nil, err
			}
			return c.Review(in)
		},
		"Coach.ImportFile": func(args []json.RawMessage) (any, error) {
			var name, content string
			if err := decodeArgs(args, &name, &content); err != nil {
				return nil, err
			}
			return c.ImportFile(name, content)
		},
		"Practice.ImportContext": func(args []json.RawMessage) (any, error) {
			var name, content string
			if err := decodeArgs(args, &name, &content); err != nil {
				return nil, err
			}
			return p.ImportContext(name, content)
		},
	}
}

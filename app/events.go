package app

import (
	"context"
	"time"
)

// Events the Go side sends the UI with runtime.EventsEmit. The frontend
// subscribes with EventsOn(name, callback) from wailsjs/runtime.
const (
	// EventAuthExpired: the session ended without the user asking (its
	// refresh was refused, or it was revoked from another device or by a
	// password change elsewhere). The user is already signed out on the Go
	// side. Data: one string, the message to show, "Session expired. Please
	// log in again.".
	EventAuthExpired = "auth:expired"

	// EventChatChunk: a piece of a persona's streamed reply. Data: ChunkEvent.
	EventChatChunk = "chat:chunk"

	// EventChatReply: a reply that Practice.Send or Retry started is over.
	// Data: ReplyEvent.
	EventChatReply = "chat:reply"

	// EventAIUsage: today's token use changed. Data: coach.UsageStatus.
	EventAIUsage = "ai:usage"

	// EventAIQueue: the offline queue's progress. Data: coach.QueueStatus.
	EventAIQueue = "ai:queue"

	// EventAppAlive: Cara's Go side is running. Sent at start-up and then
	// every AliveEvent.IntervalMS, so a browser on `wails dev` (where the
	// page outlives the app) can tell that the app has gone. Data: AliveEvent.
	EventAppAlive = "app:alive"
)

// AliveEvent is the payload of EventAppAlive.
type AliveEvent struct {
	// IntervalMS is how often the event comes, in milliseconds: its
	// absence for a few intervals means the app has gone.
	IntervalMS int64 `json:"intervalMs"`
}

// defaultHeartbeat is how often EventAppAlive is sent unless Deps says.
const defaultHeartbeat = 5 * time.Second

// emitFunc sends an event to the UI: runtime.EventsEmit in the app, a
// recorder in tests (the real one needs Wails' context).
type emitFunc func(ctx context.Context, name string, data ...any)

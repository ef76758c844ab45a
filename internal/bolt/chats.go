package bolt

import (
	"context"
	"encoding/json"
	"fmt"

	bbolt "go.etcd.io/bbolt"

	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/coach"
)

// Chats live per user, like reviews: chats/<user ID>/<ULID> holds the whole
// conversation and chat_index/<user ID>/<ULID> its History line, so History
// lists without decoding a single turn.
var _ coach.ChatStore = (*DB)(nil)

var (
	bucketChats     = []byte("chats")
	bucketChatIndex = []byte("chat_index")
)

// chatVersion is the version field of stored chat JSON and chat lines.
const chatVersion = 1

type chatRecord struct {
	V int `json:"v"`
	coach.Chat
}

type chatLine struct {
	V int `json:"v"`
	coach.ChatSummary
	cara.SyncMeta
}

var errChatNotFound = cara.Errorf(cara.ENOTFOUND, "That practice session no longer exists")

// createAIBuckets is migration 3 → 4: chats, their index and token usage.
func createAIBuckets(tx *bbolt.Tx) error {
	for _, name := range [][]byte{bucketChats, bucketChatIndex, bucketUsage, bucketBudgets} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// encodeChat returns a chat's record and its History line.
func encodeChat(c coach.Chat) (full, line []byte, err error) {
	full, err = json.Marshal(chatRecord{V: chatVersion, Chat: c})
	if err != nil {
		return nil, nil, fmt.Errorf("encode chat: %w", err)
	}
	line, err = json.Marshal(chatLine{V: chatVersion, ChatSummary: c.Summary(), SyncMeta: c.SyncMeta})
	if err != nil {
		return nil, nil, fmt.Errorf("encode chat summary: %w", err)
	}
	return full, line, nil
}

func userChatBuckets(tx *bbolt.Tx, userID string, create bool) (chats, index *bbolt.Bucket, err error) {
	return userBucketPair(tx, bucketChats, bucketChatIndex, "chat", userID, create)
}

// SaveChat creates c for userID or replaces the stored version, record and
// History line in one transaction. A chat the user deleted stays deleted:
// saving it again (say, a reply that finished streaming after the delete)
// is "not found" rather than bringing its text back.
func (d *DB) SaveChat(ctx context.Context, userID string, c coach.Chat) error {
	if c.ID == "" {
		return fmt.Errorf("bolt: a chat needs an id")
	}
	if c.Deleted {
		return fmt.Errorf("bolt: SaveChat with a deleted chat; use DeleteChat")
	}
	return d.update(ctx, func(tx *bbolt.Tx) error {
		chats, index, err := userChatBuckets(tx, userID, true)
		if err != nil {
			return err
		}
		key := []byte(c.ID)
		var prev cara.HLC
		stored, err := storedSyncMeta(chats, key)
		if err != nil {
			return err
		}
		if stored != nil {
			if stored.Deleted {
				return errChatNotFound
			}
			prev = stored.UpdatedHLC
		}
		c.UpdatedHLC = clockAfter(prev, c.UpdatedHLC)
		full, line, err := encodeChat(c)
		if err != nil {
			return err
		}
		return putRecord(chats, index, c.ID, full, line)
	})
}

// GetChat returns one of userID's live chats. Another user's chat is "not
// found", exactly like an unknown id.
func (d *DB) GetChat(ctx context.Context, userID, id string) (coach.Chat, error) {
	var rec chatRecord
	err := d.view(ctx, func(tx *bbolt.Tx) error {
		chats, _, err := userChatBuckets(tx, userID, false)
		if err != nil {
			return err
		}
		rec, err = liveChat(chats, id)
		return err
	})
	if err != nil {
		return coach.Chat{}, err
	}
	return rec.Chat, nil
}

// liveChat decodes one live chat from a user's chats bucket.
func liveChat(chats *bbolt.Bucket, id string) (chatRecord, error) {
	return liveRecord(chats, id, func(r *chatRecord) bool { return r.Deleted }, errChatNotFound)
}

// ListChats returns userID's live chats' History lines, newest first (keys
// are ULIDs, so a reverse walk is creation order reversed).
func (d *DB) ListChats(ctx context.Context, userID string) ([]coach.ChatSummary, error) {
	var out []coach.ChatSummary
	err := d.view(ctx, func(tx *bbolt.Tx) error {
		_, index, err := userChatBuckets(tx, userID, false)
		if err != nil {
			return err
		}
		out, err = newestLines(index, "chat summary", func(l chatLine) (coach.ChatSummary, bool) {
			return l.ChatSummary, !l.Deleted
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteChat replaces one of userID's chats with a tombstone: turns, title,
// context and feedback are gone; id and clock stay so a later sync can carry
// the deletion. Close then rewrites the file so the text leaves the disk.
func (d *DB) DeleteChat(ctx context.Context, userID, id string) error {
	err := d.update(ctx, func(tx *bbolt.Tx) error {
		chats, index, err := userChatBuckets(tx, userID, false)
		if err != nil {
			return err
		}
		rec, err := liveChat(chats, id)
		if err != nil {
			return err
		}
		tomb := coach.Chat{ID: rec.ID, CreatedAt: rec.CreatedAt, SyncMeta: rec.SyncMeta}
		tomb.Deleted = true
		tomb.UpdatedHLC = tombstoneClock(rec.UpdatedHLC)
		full, line, err := encodeChat(tomb)
		if err != nil {
			return err
		}
		return putRecord(chats, index, id, full, line)
	})
	if err == nil {
		d.deleted.Store(true)
	}
	return err
}

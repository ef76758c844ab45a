-- Practice data: sessions, analytics events and the Gemini proxy's daily usage.

CREATE TABLE practice_sessions (
    id               text PRIMARY KEY,
    user_id          text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    feature_type     text NOT NULL,
    title            text NOT NULL DEFAULT '',
    status           text NOT NULL,
    score            integer CHECK (score BETWEEN 0 AND 100),
    duration_seconds integer NOT NULL DEFAULT 0,
    data             jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    completed_at     timestamptz
);

-- The list is newest first, per user, optionally per feature type.
CREATE INDEX practice_sessions_by_user ON practice_sessions (user_id, created_at DESC, id DESC);
CREATE INDEX practice_sessions_by_user_feature ON practice_sessions (user_id, feature_type, created_at DESC, id DESC);

CREATE TABLE analytics_events (
    id           text PRIMARY KEY,
    user_id      text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    event_type   text NOT NULL,
    feature_type text NOT NULL DEFAULT '',
    properties   jsonb,
    created_at   timestamptz NOT NULL
);

CREATE INDEX analytics_events_by_user ON analytics_events (user_id, feature_type);

CREATE TABLE gemini_usage (
    user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day     date NOT NULL,
    tokens  bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, day)
);

---- create above / drop below ----

DROP TABLE gemini_usage;
DROP TABLE analytics_events;
DROP TABLE practice_sessions;

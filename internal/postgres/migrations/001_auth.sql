-- Accounts (DESIGN §3): users, sessions, refresh-token hashes, login throttle.
-- Times are timestamptz (microseconds); NULL stands for "not set".

CREATE TABLE users (
    id            text PRIMARY KEY,
    email         text NOT NULL UNIQUE,
    name          text NOT NULL,
    role          text NOT NULL,
    password_hash bytea NOT NULL,
    created_at    timestamptz,
    updated_at    timestamptz
);

CREATE TABLE sessions (
    id           text PRIMARY KEY,
    user_id      text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device       text NOT NULL,
    created_at   timestamptz,
    last_used_at timestamptz,
    expires_at   timestamptz,
    revoked_at   timestamptz
);

CREATE INDEX sessions_live_by_user ON sessions (user_id) WHERE revoked_at IS NULL;

CREATE TABLE refresh_tokens (
    hash             bytea PRIMARY KEY CHECK (octet_length(hash) = 32),
    session_id       text NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    created_at       timestamptz,
    expires_at       timestamptz,
    used_at          timestamptz,
    successor_hash   bytea,
    sealed_successor bytea
);

CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id);
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at);

CREATE TABLE login_throttle (
    key             text PRIMARY KEY,
    failures        integer NOT NULL DEFAULT 0,
    last_failure_at timestamptz,
    locked_until    timestamptz,
    expires_at      timestamptz
);

---- create above / drop below ----

DROP TABLE login_throttle;
DROP TABLE refresh_tokens;
DROP TABLE sessions;
DROP TABLE users;

-- Every refresh inserts a token row, and a btree on expires_at made each of
-- those inserts update one more index. Rows arrive in about expires_at
-- order, so a BRIN index (a summary per block range, near-free to keep up)
-- serves Prune's "expires_at <= now" as well.
DROP INDEX refresh_tokens_by_expiry;
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens USING brin (expires_at);

---- create above / drop below ----

DROP INDEX refresh_tokens_by_expiry;
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at);

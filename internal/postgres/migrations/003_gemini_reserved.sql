-- Gemini proxy quota: tokens set aside by calls still in flight, so that
-- concurrent calls of one user (on any instance) can't overshoot the daily
-- limit. A call reserves before it calls Gemini and settles after.

ALTER TABLE gemini_usage ADD COLUMN reserved bigint NOT NULL DEFAULT 0 CHECK (reserved >= 0);

---- create above / drop below ----

ALTER TABLE gemini_usage DROP COLUMN reserved;

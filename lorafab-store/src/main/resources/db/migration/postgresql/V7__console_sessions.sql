-- Web console sessions and one-time sign-in codes. Only the SHA-256 of a session id or a code is stored (hex), so
-- a copy of the database opens no session. Times are epoch milliseconds, compared in SQL when expired rows are
-- purged (ISO text of varying precision does not sort as time). A token's sessions and codes end with it: the
-- service checks the token on every request; token_id is not a foreign key so that a purge never waits on it.
CREATE TABLE console_session (
    id_hash       TEXT PRIMARY KEY,
    token_id      BIGINT NOT NULL,
    csrf_secret   TEXT NOT NULL,
    created_ms    BIGINT NOT NULL,
    last_seen_ms  BIGINT NOT NULL,
    expires_ms    BIGINT NOT NULL
);
CREATE INDEX console_session_token ON console_session (token_id);

CREATE TABLE console_sign_in_code (
    code_hash     TEXT PRIMARY KEY,
    token_id      BIGINT NOT NULL,
    created_ms    BIGINT NOT NULL,
    expires_ms    BIGINT NOT NULL,
    used_ms       BIGINT
);

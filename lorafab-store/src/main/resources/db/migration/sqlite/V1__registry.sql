-- lorafab registry, SQLite dialect. EUIs are 16 lower-case hex digits (text order = numeric order).
CREATE TABLE kek (
    label       TEXT PRIMARY KEY,
    check_value TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE product (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    name                TEXT NOT NULL UNIQUE,
    join_eui            TEXT NOT NULL,
    mac_version         TEXT NOT NULL,
    region              TEXT NOT NULL,
    vendor_id           INTEGER NOT NULL,
    model_id            INTEGER NOT NULL,
    programming_profile TEXT NOT NULL,
    rssi_min_dbm        REAL,
    snr_min_db          REAL,
    created_at          TEXT NOT NULL
);

CREATE TABLE eui_block (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL UNIQUE,
    product_id  INTEGER REFERENCES product(id),
    assignment  TEXT NOT NULL,
    prefix      TEXT NOT NULL,
    first_eui   TEXT NOT NULL,
    size        INTEGER NOT NULL,
    next_index  INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    CHECK (next_index >= 0 AND next_index <= size)
);

CREATE TABLE work_order (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    reference   TEXT NOT NULL UNIQUE,
    product_id  INTEGER NOT NULL REFERENCES product(id),
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    active_units INTEGER NOT NULL DEFAULT 0,
    state       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    CHECK (active_units >= 0 AND active_units <= quantity)
);

CREATE TABLE unit (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    dev_eui         TEXT NOT NULL UNIQUE,
    join_eui        TEXT NOT NULL,
    product_id      INTEGER REFERENCES product(id),
    work_order_id   INTEGER REFERENCES work_order(id),
    serial          TEXT UNIQUE,
    name            TEXT,
    mac_version     TEXT NOT NULL,
    region          TEXT,
    kek_label       TEXT NOT NULL REFERENCES kek(label),
    app_key_wrapped TEXT NOT NULL,
    nwk_key_wrapped TEXT,
    state           TEXT NOT NULL,
    origin          TEXT NOT NULL,
    station_id      TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX unit_work_order ON unit(work_order_id, state);

CREATE TABLE test_run (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id      INTEGER NOT NULL REFERENCES unit(id),
    station_id   TEXT,
    result       TEXT NOT NULL,
    reason_code  TEXT,
    measurements TEXT NOT NULL,
    finished_at  TEXT NOT NULL
);
CREATE INDEX test_run_unit ON test_run(unit_id);

CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    subject  TEXT,
    details  TEXT
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE api_token (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash  TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);

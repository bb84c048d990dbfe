-- A registry at schema version 6 as lorafab's own migration runner (before Flyway) left it: its scripts V1-V6 and
-- its history table schema_version. Dumped with sqlite3 .dump; kept as written, it is what an upgrade starts from.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL, checksum TEXT);
INSERT INTO schema_version VALUES(1,'V1__registry.sql','2026-12-07T02:29:19.513400262Z','d27698c8af314006bd251514ca7878037ceaa41924eb56017c08e8b838fb7b19');
INSERT INTO schema_version VALUES(2,'V2__join_server.sql','2026-12-07T02:29:19.518877336Z','48ff879e328379a1d3cf9eabdd7ec45c3b3745dafbed1cae73963b103e8c7b80');
INSERT INTO schema_version VALUES(3,'V3__session_as_id.sql','2026-12-07T02:29:19.520001412Z','b12e9639655a530368247d9d90f02facaada24a8b0fb209e298bc5727a6d684f');
INSERT INTO schema_version VALUES(4,'V4__work_order_closed.sql','2026-12-07T02:29:19.521407987Z','3b39571ef98c8218dd92ae2cd18fc5eb58192542862a21635df85cc767516a17');
INSERT INTO schema_version VALUES(5,'V5__serial_template.sql','2026-12-07T02:29:19.522265308Z','9a08ab4d701374f95eb6162729ea7083ad70f90e39cf7c07dd2eba57d563088e');
INSERT INTO schema_version VALUES(6,'V6__bi_net_ids.sql','2026-12-07T02:29:19.523611093Z','4506822215107d1c13c469a578b9b86f4df7ecf77da496409d66092059db2079');
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
, serial_template TEXT NOT NULL DEFAULT '{product}-{yyMM}-{seq:06}', serial_seq BIGINT NOT NULL DEFAULT 0, net_ids TEXT NOT NULL DEFAULT '');
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
    created_at  TEXT NOT NULL, closed_at TEXT, closed_by TEXT, close_reason TEXT,
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
, net_ids TEXT);
CREATE TABLE test_run (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id      INTEGER NOT NULL REFERENCES unit(id),
    station_id   TEXT,
    result       TEXT NOT NULL,
    reason_code  TEXT,
    measurements TEXT NOT NULL,
    finished_at  TEXT NOT NULL
);
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    subject  TEXT,
    details  TEXT
);
CREATE TABLE api_token (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash  TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE TABLE join_state (
    dev_eui         TEXT PRIMARY KEY,
    join_nonce      INTEGER NOT NULL DEFAULT 0,
    last_dev_nonce  INTEGER,
    updated_at      TEXT NOT NULL
);
CREATE TABLE used_dev_nonce (
    dev_eui    TEXT NOT NULL,
    dev_nonce  INTEGER NOT NULL,
    PRIMARY KEY (dev_eui, dev_nonce)
);
CREATE TABLE session (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    session_key_id          TEXT NOT NULL UNIQUE,
    dev_eui                 TEXT NOT NULL,
    dev_addr                TEXT NOT NULL,
    net_id                  TEXT NOT NULL,
    mac_version             TEXT NOT NULL,
    lorawan11               INTEGER NOT NULL,
    join_nonce              INTEGER NOT NULL,
    dev_nonce               INTEGER NOT NULL,
    kek_label               TEXT NOT NULL REFERENCES kek(label),
    f_nwk_s_int_key_wrapped TEXT NOT NULL,
    s_nwk_s_int_key_wrapped TEXT NOT NULL,
    nwk_s_enc_key_wrapped   TEXT NOT NULL,
    app_s_key_wrapped       TEXT NOT NULL,
    last_fcnt_up            INTEGER,
    created_at              TEXT NOT NULL
, as_id TEXT);
CREATE TABLE radio_event (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TEXT NOT NULL,
    dev_eui      TEXT,
    kind         TEXT NOT NULL,
    code         TEXT,
    gateway_eui  TEXT,
    rssi         INTEGER,
    snr          REAL,
    frequency_hz INTEGER,
    datr         TEXT,
    details      TEXT
);
DELETE FROM sqlite_sequence;
CREATE INDEX unit_work_order ON unit(work_order_id, state);
CREATE INDEX test_run_unit ON test_run(unit_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE INDEX session_dev_addr ON session(dev_addr, id);
CREATE INDEX session_dev_eui ON session(dev_eui, id);
CREATE INDEX radio_event_dev_eui ON radio_event(dev_eui, id);
COMMIT;

-- Join server state, SQLite dialect.
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
);
CREATE INDEX session_dev_addr ON session(dev_addr, id);
CREATE INDEX session_dev_eui ON session(dev_eui, id);

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
CREATE INDEX radio_event_dev_eui ON radio_event(dev_eui, id);

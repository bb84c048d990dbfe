-- Units whose root keys their secure element holds (Microchip ATECC608 TNGLoRa): lorafab has no key for them, so
-- kek_label and app_key_wrapped become optional, and the unit records who holds the keys (key_custody), the secure
-- element's serial number and the external join server that serves its joins. The CHECK keeps the two kinds apart:
-- a unit has either its wrapped keys or a secure element, never both, never neither.
--
-- SQLite cannot drop a NOT NULL, so the table is rebuilt (https://www.sqlite.org/lang_altertable.html). Flyway runs the
-- script in a transaction, where foreign_keys cannot be switched off, and dropping a table that test_run's rows refer
-- to fails at commit. So test_run is rebuilt too, first pointing at unit_new: once the old test_run is gone nothing
-- refers to the old unit table, and renaming unit_new to unit rewrites test_run's reference with it.

CREATE TABLE unit_new (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    dev_eui             TEXT NOT NULL UNIQUE,
    join_eui            TEXT NOT NULL,
    product_id          INTEGER REFERENCES product(id),
    work_order_id       INTEGER REFERENCES work_order(id),
    serial              TEXT UNIQUE,
    name                TEXT,
    mac_version         TEXT NOT NULL,
    region              TEXT,
    kek_label           TEXT REFERENCES kek(label),
    app_key_wrapped     TEXT,
    nwk_key_wrapped     TEXT,
    state               TEXT NOT NULL,
    origin              TEXT NOT NULL,
    station_id          TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    net_ids             TEXT,
    key_custody         TEXT NOT NULL DEFAULT 'LORAFAB',
    secure_element_id   TEXT,
    join_server         TEXT,
    CHECK ((key_custody = 'LORAFAB' AND kek_label IS NOT NULL AND app_key_wrapped IS NOT NULL
                AND secure_element_id IS NULL AND join_server IS NULL)
        OR (key_custody = 'SECURE_ELEMENT' AND kek_label IS NULL AND app_key_wrapped IS NULL AND nwk_key_wrapped IS NULL
                AND secure_element_id IS NOT NULL AND join_server IS NOT NULL))
);

INSERT INTO unit_new (id, dev_eui, join_eui, product_id, work_order_id, serial, name, mac_version, region, kek_label,
        app_key_wrapped, nwk_key_wrapped, state, origin, station_id, created_at, updated_at, net_ids)
    SELECT id, dev_eui, join_eui, product_id, work_order_id, serial, name, mac_version, region, kek_label,
        app_key_wrapped, nwk_key_wrapped, state, origin, station_id, created_at, updated_at, net_ids FROM unit;

-- Keep AUTOINCREMENT's high-water mark: ids of removed units are never given again.
INSERT INTO sqlite_sequence (name, seq) SELECT 'unit_new', 0 FROM sqlite_sequence WHERE name = 'unit'
    AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'unit_new');
UPDATE sqlite_sequence SET seq = (SELECT MAX(seq) FROM sqlite_sequence WHERE name IN ('unit', 'unit_new'))
    WHERE name = 'unit_new';

CREATE TABLE test_run_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id      INTEGER NOT NULL REFERENCES unit_new(id),
    station_id   TEXT,
    result       TEXT NOT NULL,
    reason_code  TEXT,
    measurements TEXT NOT NULL,
    finished_at  TEXT NOT NULL
);
INSERT INTO test_run_new (id, unit_id, station_id, result, reason_code, measurements, finished_at)
    SELECT id, unit_id, station_id, result, reason_code, measurements, finished_at FROM test_run;
INSERT INTO sqlite_sequence (name, seq) SELECT 'test_run_new', 0 FROM sqlite_sequence WHERE name = 'test_run'
    AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'test_run_new');
UPDATE sqlite_sequence SET seq = (SELECT MAX(seq) FROM sqlite_sequence WHERE name IN ('test_run', 'test_run_new'))
    WHERE name = 'test_run_new';

DROP TABLE test_run;
DROP TABLE unit;
ALTER TABLE unit_new RENAME TO unit;
ALTER TABLE test_run_new RENAME TO test_run;
CREATE INDEX unit_work_order ON unit(work_order_id, state);
CREATE INDEX unit_station ON unit(station_id, state);
CREATE INDEX unit_updated ON unit(updated_at);
CREATE INDEX test_run_unit ON test_run(unit_id);
CREATE INDEX test_run_station_time ON test_run(station_id, finished_at);
CREATE INDEX test_run_finished ON test_run(finished_at);

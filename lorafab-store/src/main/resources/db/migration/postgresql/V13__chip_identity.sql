-- LR11xx-style parts come pre-provisioned with a ChipEUI, a Semtech JoinEUI and a claim PIN; the station reports them
-- at end of line, and the maker claims the units on the vendor's join service with them. One row per unit (a re-test
-- replaces it); a ChipEUI is globally unique, so two units never carry the same one. The PIN is stored as reported
-- (8 hex digits): it is read only by the admin-only claim export (see ChipIdentityStore).
CREATE TABLE chip_identity (
    unit_id       BIGINT PRIMARY KEY REFERENCES unit(id),
    chip_eui      TEXT NOT NULL UNIQUE,
    join_eui      TEXT,
    claim_pin     TEXT NOT NULL,
    station_id    TEXT,
    recorded_at   TEXT NOT NULL
);

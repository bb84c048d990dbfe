-- Units whose root keys their secure element holds (Microchip ATECC608 TNGLoRa): lorafab has no key for them, so
-- kek_label and app_key_wrapped become optional, and the unit records who holds the keys (key_custody), the secure
-- element's serial number and the external join server that serves its joins. The CHECK keeps the two kinds apart:
-- a unit has either its wrapped keys or a secure element, never both, never neither.
ALTER TABLE unit ALTER COLUMN kek_label DROP NOT NULL;
ALTER TABLE unit ALTER COLUMN app_key_wrapped DROP NOT NULL;
ALTER TABLE unit ADD COLUMN key_custody TEXT NOT NULL DEFAULT 'LORAFAB';
ALTER TABLE unit ADD COLUMN secure_element_id TEXT;
ALTER TABLE unit ADD COLUMN join_server TEXT;
ALTER TABLE unit ADD CONSTRAINT unit_key_custody CHECK (
    (key_custody = 'LORAFAB' AND kek_label IS NOT NULL AND app_key_wrapped IS NOT NULL
        AND secure_element_id IS NULL AND join_server IS NULL)
    OR (key_custody = 'SECURE_ELEMENT' AND kek_label IS NULL AND app_key_wrapped IS NULL AND nwk_key_wrapped IS NULL
        AND secure_element_id IS NOT NULL AND join_server IS NOT NULL));

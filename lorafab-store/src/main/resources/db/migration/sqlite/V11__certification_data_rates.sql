-- The TS009 end-of-line profile's optional expectations of a product: the uplink data rates its units must echo on
-- (DR indices of the product's region, comma-separated, e.g. "5,4,3"; NULL = one echo at any data rate), and the
-- firmware version its units must report in DutVersionsAns ("1.4.2", or "1.4.2.7" to compare the revision; NULL = not
-- checked).
ALTER TABLE product ADD COLUMN certification_data_rates TEXT;
ALTER TABLE product ADD COLUMN certification_firmware_version TEXT;

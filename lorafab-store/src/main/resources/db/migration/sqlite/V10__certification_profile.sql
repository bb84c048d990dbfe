-- The optional TS009 end-of-line profile: a product whose firmware implements the LoRaWAN certification protocol
-- (FPort 224) may ask the join server to run it on each unit's test session (0 = not run).
ALTER TABLE product ADD COLUMN certification_profile INTEGER NOT NULL DEFAULT 0;

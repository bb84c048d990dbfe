-- The optional TS009 end-of-line profile: a product whose firmware implements the LoRaWAN certification protocol
-- (FPort 224) may ask the join server to run it on each unit's test session (false = not run).
ALTER TABLE product ADD COLUMN certification_profile BOOLEAN NOT NULL DEFAULT FALSE;

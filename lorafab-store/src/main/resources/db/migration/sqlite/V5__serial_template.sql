-- Serial numbers for allocated units: each product's template (see SerialTemplate) and the last sequence number
-- it handed out, advanced in the reservation's transaction and never reused.
ALTER TABLE product ADD COLUMN serial_template TEXT NOT NULL DEFAULT '{product}-{yyMM}-{seq:06}';
ALTER TABLE product ADD COLUMN serial_seq BIGINT NOT NULL DEFAULT 0;

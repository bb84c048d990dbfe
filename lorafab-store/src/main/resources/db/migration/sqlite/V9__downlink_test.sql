-- The two-way radio test. A session's next downlink counter: the FCntDown of a LoRaWAN 1.0 session, the AFCntDown of
-- a 1.1 one (the join server only sends application downlinks, FPort > 0). And the product's thresholds on the test
-- downlink as the module reports it (null = not checked), beside the gateway's rssi_min_dbm / snr_min_db.
ALTER TABLE session ADD COLUMN next_fcnt_down INTEGER NOT NULL DEFAULT 0;
ALTER TABLE product ADD COLUMN downlink_rssi_min_dbm REAL;
ALTER TABLE product ADD COLUMN downlink_snr_min_db REAL;

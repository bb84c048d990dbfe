-- The network (NetID, already recorded) and the application server (AS-ID, when one is configured for that
-- network) a session was issued to: Backend Interfaces AppSKeyReq answers only to them.
ALTER TABLE session ADD COLUMN as_id TEXT;

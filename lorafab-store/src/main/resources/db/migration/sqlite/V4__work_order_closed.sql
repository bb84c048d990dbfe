-- A work order closed by an engineer: when, by whom and why, so that `orders show` and a refused reservation can
-- say so without searching the audit log (which keeps the history of closes and reopens).
ALTER TABLE work_order ADD COLUMN closed_at TEXT;
ALTER TABLE work_order ADD COLUMN closed_by TEXT;
ALTER TABLE work_order ADD COLUMN close_reason TEXT;

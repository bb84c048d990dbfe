-- The reports' reads (line overview, station screens, work-order tables): a station's runs by time, the line's runs by
-- time, the units a station holds, units by when they changed, and a unit's audit records for its timeline.
CREATE INDEX test_run_station_time ON test_run(station_id, finished_at);
CREATE INDEX test_run_finished ON test_run(finished_at);
CREATE INDEX unit_station ON unit(station_id, state);
CREATE INDEX unit_updated ON unit(updated_at);
CREATE INDEX audit_log_subject ON audit_log(subject, id);
CREATE INDEX radio_event_kind ON radio_event(kind, dev_eui, id);

-- A test run's measurements as JSON, or NULL when the text is not JSON (a script may have sent any text): a report
-- reading one field of many runs must not fail on one run. SQLite has json_valid for this.
CREATE FUNCTION lorafab_jsonb(t TEXT) RETURNS JSONB LANGUAGE plpgsql IMMUTABLE AS
$$ BEGIN RETURN t::jsonb; EXCEPTION WHEN others THEN RETURN NULL; END $$;

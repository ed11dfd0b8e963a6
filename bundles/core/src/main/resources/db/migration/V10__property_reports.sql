-- One history row per uplink: the validated values of one message together (a JSON object, property id -> canonical
-- value), keyed by the id of the uplink's device-log entry. One row per property cost a row and an index entry per
-- value on the ingest path (issue 12).
CREATE TABLE property_report (
    id         BIGINT           NOT NULL PRIMARY KEY,
    device_id  VARCHAR(64)      NOT NULL,
    ts         BIGINT           NOT NULL,
    properties VARCHAR(1000000) NOT NULL
);
-- Descending: reads want the newest reports first, and H2 walks an index in its own order only.
CREATE INDEX property_report_device ON property_report (device_id, ts DESC, id DESC);
-- The values stored so far, one report each, with ids below every device-log id (so older than any new report at the
-- same timestamp) and in their old order.
INSERT INTO property_report (id, device_id, ts, properties)
    SELECT seq - 4611686018427387904, device_id, ts, '{"' || property || '":' || value_json || '}' FROM property_history;
DROP TABLE property_history

-- The device log keeps a bounded number of bytes of each payload (deviceLog.maxPayloadBytes): a row says whether its
-- raw payload or decoded message was cut. No index is added: the retention purge walks the existing indexes
-- device_log (device_id, id) and property_history (device_id, property, ts, seq), so inserts pay for nothing new.
ALTER TABLE device_log ADD COLUMN truncated BOOLEAN DEFAULT FALSE NOT NULL;

-- One uplink is one transaction (its log entry and its property rows), and a device that sends a message again (an
-- MQTT resend after a lost PUBACK, a retried HTTP request) must not store it twice: an uplink's log entry carries the
-- key (message id and message timestamp) that tells a resend, unique per device. Entries without a message id, and
-- entries that are not uplinks, have no key (NULLs do not collide).
ALTER TABLE device_log ADD COLUMN uplink_key VARCHAR(100);
CREATE UNIQUE INDEX device_log_uplink ON device_log (device_id, uplink_key);

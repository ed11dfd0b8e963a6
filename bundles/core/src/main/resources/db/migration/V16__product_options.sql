-- Issue 15, item 1: products as the Gizwits console describes them (category, communication type, power mode, downlink
-- mode, carrier network; existing products get what they implicitly were: Wi-Fi, always powered and reachable,
-- category "other"), and the alarms and faults their devices raise: one row per alarm, raised by a stored report (in
-- the report's own transaction), cleared by a later one (cleared_at set), acknowledged by an operator. Ids from
-- id_block (IdBlocks); rows kept within alarms.* of io.thingport.storage. Reads are newest first (the id DESC index,
-- which H2 needs and the others accept); a device's active alarms are found through (device_id, property).
ALTER TABLE product ADD COLUMN category VARCHAR(32) DEFAULT 'other' NOT NULL;
ALTER TABLE product ADD COLUMN communication VARCHAR(16) DEFAULT 'wifi' NOT NULL;
ALTER TABLE product ADD COLUMN power_mode VARCHAR(16) DEFAULT 'always-on' NOT NULL;
ALTER TABLE product ADD COLUMN downlink_mode VARCHAR(16) DEFAULT 'always-on' NOT NULL;
ALTER TABLE product ADD COLUMN carrier VARCHAR(64);

CREATE TABLE device_alarm (
    id              BIGINT        NOT NULL PRIMARY KEY,
    ts              BIGINT        NOT NULL,
    device_id       VARCHAR(64)   NOT NULL,
    product_id      VARCHAR(64)   NOT NULL,
    property        VARCHAR(64)   NOT NULL,
    kind            VARCHAR(16)   NOT NULL,
    raised_value    VARCHAR(2000) NOT NULL,
    raised_report   BIGINT        NOT NULL,
    cleared_at      BIGINT,
    cleared_report  BIGINT,
    acknowledged_at BIGINT,
    acknowledged_by VARCHAR(128)
);
CREATE INDEX device_alarm_device ON device_alarm (device_id, property, cleared_at);
CREATE INDEX device_alarm_product ON device_alarm (product_id, id);
CREATE INDEX device_alarm_newest ON device_alarm (id DESC);
INSERT INTO id_block (name, next_id) VALUES ('device_alarm', 1)

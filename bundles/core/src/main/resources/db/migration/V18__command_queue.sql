-- Issue 15, item 2: queued commands for sleepy products (PSM, eDRX, DRX). Each product says how many commands may wait
-- per device and for how long (existing products get 16 and 24 hours; always-on products never queue). One row per
-- queued command, in queue order by id (from id_block, IdBlocks), its state moving queued -> sent -> replied / failed,
-- or queued -> expired / cancelled; ts is when it was queued (retention: commandQueue.maxAgeDays of io.thingport.storage).
-- A device's waiting commands are found through (device_id, state, id), the ones due to expire through (state, expires_at).
ALTER TABLE product ADD COLUMN queue_max_length INT DEFAULT 16 NOT NULL;
ALTER TABLE product ADD COLUMN queue_ttl_seconds BIGINT DEFAULT 86400 NOT NULL;

CREATE TABLE command_queue (
    id           BIGINT         NOT NULL PRIMARY KEY,
    ts           BIGINT         NOT NULL,
    command_id   VARCHAR(64)    NOT NULL,
    device_id    VARCHAR(64)    NOT NULL,
    product_id   VARCHAR(64)    NOT NULL,
    type         VARCHAR(32)    NOT NULL,
    body         VARCHAR(100000) NOT NULL,
    timeout_ms   BIGINT         NOT NULL,
    expires_at   BIGINT         NOT NULL,
    state        VARCHAR(16)    NOT NULL,
    updated_at   BIGINT         NOT NULL,
    code         VARCHAR(64),
    message      VARCHAR(1000),
    result       VARCHAR(100000)
);
CREATE INDEX command_queue_device ON command_queue (device_id, state, id);
CREATE INDEX command_queue_due ON command_queue (state, expires_at);
CREATE INDEX command_queue_command ON command_queue (command_id, id);
INSERT INTO id_block (name, next_id) VALUES ('command_queue', 1)

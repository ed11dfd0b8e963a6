-- Issue 15, point 3: the device shadow (AWS IoT semantics). One row per device that was ever updated through the
-- shadow; a device without a row has the empty shadow, version 0. The document holds the desired and reported state
-- with the time each key was set, and when reported keys were deleted (so that older property reports stay hidden);
-- ShadowService.MAX_STATE_BYTES bounds its state. Updates compare and set the version, so two writers never both win.
-- Deleting a device deletes its shadow in the same transaction.
CREATE TABLE device_shadow (
    device_id  VARCHAR(64)    NOT NULL PRIMARY KEY REFERENCES device (id),
    version    BIGINT         NOT NULL,
    document   VARCHAR(65536) NOT NULL,
    updated_at BIGINT         NOT NULL
);

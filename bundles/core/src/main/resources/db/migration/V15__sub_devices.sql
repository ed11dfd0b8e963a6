-- Issue 15, point 4: gateway sub-devices. A row binds a sub-device to the gateway device that speaks for it on its own
-- connection (/child/{childId}/... of the official protocol). One gateway per sub-device; a gateway is not itself a
-- sub-device (TopologyService checks that and the bound on children). Deleting a device deletes its rows, as a
-- sub-device and as a gateway, in the same transaction.
CREATE TABLE sub_device (
    device_id  VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES device (id),
    gateway_id VARCHAR(64) NOT NULL REFERENCES device (id),
    bound_at   BIGINT      NOT NULL
);
CREATE INDEX sub_device_gateway ON sub_device (gateway_id, device_id);

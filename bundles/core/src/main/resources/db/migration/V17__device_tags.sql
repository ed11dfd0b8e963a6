-- Issue 15, item 7: the device list of seed 000 (MAC, id, first online, online count, last online, status), filtered by
-- product, status, tag and id prefix, one page at a time in the order of the ids (DeviceQueries builds the statements).
-- A device's MAC address, as aa:bb:cc:dd:ee:ff (set by an operator, imported, or reported as the property "mac").
ALTER TABLE device ADD COLUMN mac VARCHAR(17);
-- Tags: at most 32 per device (DeviceService.MAX_TAGS), deleted with the device in the same transaction. A tag filter
-- walks (tag_key, tag_value, device_id) in device order and looks each device up by its primary key; further tags are
-- looked up by the primary key (device_id, tag_key).
CREATE TABLE device_tag (
    device_id VARCHAR(64)  NOT NULL REFERENCES device (id),
    tag_key   VARCHAR(64)  NOT NULL,
    tag_value VARCHAR(256) NOT NULL,
    PRIMARY KEY (device_id, tag_key)
);
CREATE INDEX device_tag_value ON device_tag (tag_key, tag_value, device_id);
-- A page walks one index in the order of the ids and stops at its limit: a product's devices (product_id, id); online,
-- offline and never-connected devices (online, id), the latter two told apart by first_online on that walk, and by
-- product (product_id, online, id); disabled devices (enabled, id), or a product's walking (product_id, id). online
-- changes at each connect and disconnect: two indexes are what that costs the batched state writes. Every page's
-- statement bounds the id (after '' on the first page): without a bound on it H2 takes V1's device_product (product_id),
-- which its foreign key holds, and sorts a product's devices.
CREATE INDEX device_product_id ON device (product_id, id);
CREATE INDEX device_online ON device (online, id);
CREATE INDEX device_product_online ON device (product_id, online, id);
CREATE INDEX device_enabled ON device (enabled, id)

-- Device-log queries by product, type and time (the Open API, iot:device-log --product): each walks an index in the
-- order it returns entries and stops at its limit, instead of reading all of a product's entries (or the whole log)
-- and sorting them. Oldest first after an id (a live stream catching up) walks (product_id, id); newest first walks
-- (product_id, id DESC), and without a device or product (id DESC): H2 reads an index in its own direction only.
-- PostgreSQL reads a B-tree both ways and gets (product_id, id) alone (postgresql/V13__device_log_query_indexes.sql).
-- A device's entries stay on (device_id, id): newest first, H2 reads at most deviceLog.maxRowsPerDevice of them, and
-- an index keyed by device id costs the ingest path far more than one keyed by product or id (its inserts scatter).
CREATE INDEX device_log_product ON device_log (product_id, id);
CREATE INDEX device_log_product_newest ON device_log (product_id, id DESC);
CREATE INDEX device_log_newest ON device_log (id DESC)

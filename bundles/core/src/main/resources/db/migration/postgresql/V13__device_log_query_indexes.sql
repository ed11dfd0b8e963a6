-- PostgreSQL's version of V13__device_log_query_indexes.sql (Migrations: this file replaces the generic one on
-- PostgreSQL): PostgreSQL walks a B-tree in either direction, so one index serves a product's entries oldest first
-- (after an id) and newest first; entries of all devices walk the primary key, backwards for newest first. The
-- descending copies H2 needs would only cost the ingest path here.
CREATE INDEX device_log_product ON device_log (product_id, id)

-- Sequences whose ids must be unique across the nodes sharing this database, handed out in blocks (IdBlocks): the
-- device log's ids were an in-memory counter started at MAX(id), which two nodes would both start from.
CREATE TABLE id_block (
    name    VARCHAR(64) NOT NULL PRIMARY KEY,
    next_id BIGINT      NOT NULL
);
INSERT INTO id_block (name, next_id) SELECT 'device_log', COALESCE(MAX(id), 0) + 1 FROM device_log;

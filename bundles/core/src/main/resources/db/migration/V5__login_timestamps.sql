-- The newest accepted login timestamp per device, across protocols, restarts and nodes (AuthContext.recordLogin):
-- a signed login is accepted once. A row is written only after a verified signature, so the table holds at most one
-- row per device that ever logged in (or registered); rows of deleted devices stay, so that a re-created device with
-- a reused secret cannot be logged into with a captured login.
CREATE TABLE login_timestamp (
    device_id  VARCHAR(64) NOT NULL PRIMARY KEY,
    last_login BIGINT      NOT NULL
);

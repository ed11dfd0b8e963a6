-- PostgreSQL's version of V4__protocol_packages.sql (Migrations: this file replaces the generic one on PostgreSQL):
-- PostgreSQL has no BLOB type; BYTEA holds the package's bytes, read and written through the same JDBC calls.
-- Binary thing-model codecs lay out data points by the product's data format (Gizwits 定长 / 变长).
ALTER TABLE product ADD COLUMN data_format VARCHAR(16) DEFAULT 'fixed' NOT NULL;

-- Protocol packages installed at run time (iot:protocol-add): the code itself is kept here so that a package survives
-- a restart with a clean framework cache, and every node of a cluster can install the same revision.
CREATE TABLE protocol_package (
    id           VARCHAR(64)   NOT NULL PRIMARY KEY,
    name         VARCHAR(64)   NOT NULL,
    description  VARCHAR(200)  NOT NULL,
    type         VARCHAR(16)   NOT NULL,
    source       VARCHAR(2000) NOT NULL,
    version      VARCHAR(200)  NOT NULL,
    sha256       VARCHAR(64)   NOT NULL,
    revision     INTEGER       NOT NULL,
    content      BYTEA         NOT NULL,
    location     VARCHAR(300)  NOT NULL,
    installed_at BIGINT        NOT NULL,
    updated_at   BIGINT        NOT NULL
);

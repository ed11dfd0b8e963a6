-- Issue 3: products reference a device access gateway; managed certificates for TLS/DTLS.
ALTER TABLE product ADD COLUMN gateway VARCHAR(64);

CREATE TABLE certificate (
    name            VARCHAR(64)     PRIMARY KEY,
    description     VARCHAR(200)    NOT NULL,
    certificate_pem VARCHAR(200000) NOT NULL,
    private_key_pem VARCHAR(200000),
    ca_chain_pem    VARCHAR(200000),
    created_at      BIGINT          NOT NULL
);

-- Issue 11, point 4: a client certificate identifies a device only when an operator bound it to that device
-- (iot:device-cert-bind), not because a trusted CA signed it with the device's id as CN. A binding is the certificate's
-- SHA-256 fingerprint (of its DER encoding, 64 upper-case hex digits); one certificate identifies one device at most,
-- and a device may hold a few (rotation). Subject, issuer and expiry are kept for display only, and are NULL for a
-- binding made by fingerprint alone. Deleting a device deletes its bindings in the same transaction.
CREATE TABLE device_certificate (
    fingerprint VARCHAR(64)   NOT NULL PRIMARY KEY,
    device_id   VARCHAR(64)   NOT NULL REFERENCES device (id),
    subject     VARCHAR(1000),
    issuer      VARCHAR(1000),
    not_after   BIGINT,
    bound_at    BIGINT        NOT NULL
);
CREATE INDEX device_certificate_device ON device_certificate (device_id, bound_at);

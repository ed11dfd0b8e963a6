package io.thingport.core.internal.registry;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.DeviceCertificate;
import io.thingport.api.device.DeviceService;
import io.thingport.api.network.Fingerprints;
import io.thingport.core.internal.storage.Storage;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The {@code device_certificate} table: the client certificates operators bound to devices, each one row keyed by its
 * SHA-256 fingerprint (64 upper-case hex digits), so that a certificate identifies one device at most. A change runs
 * with its checks in one transaction of the storage writer; the rows of a device go with it ({@link DeviceStore#delete}).
 */
final class DeviceCertificates {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final String COLUMNS = "device_id, fingerprint, subject, issuer, not_after, bound_at";

    /** What a binding records of a certificate: its digest, and what is known of it for display. */
    record Certificate(byte[] sha256, String subject, String issuer, Instant notAfter) {
        static Certificate ofFingerprint(byte[] sha256) {
            return new Certificate(sha256, null, null, null);
        }
    }

    private final Storage storage;

    DeviceCertificates(Storage storage) {
        this.storage = storage;
    }

    private static DeviceCertificate row(ResultSet rs) throws SQLException {
        long notAfter = rs.getLong(5);
        Instant expiry = rs.wasNull() ? null : Instant.ofEpochMilli(notAfter);
        return new DeviceCertificate(rs.getString(1), Fingerprints.format(HEX.parseHex(rs.getString(2))), rs.getString(3),
                rs.getString(4), expiry, Instant.ofEpochMilli(rs.getLong(6)));
    }

    /**
     * Binds a certificate to a device.
     *
     * @throws ThingportException {@code NOT_FOUND} when the device does not exist (any more); {@code CONFLICT} when the
     *                            certificate is bound already, to this device or another, or the device holds
     *                            {@link DeviceService#MAX_DEVICE_CERTIFICATES}
     */
    DeviceCertificate bind(String deviceId, Certificate certificate, Instant at) {
        Instant now = Instant.ofEpochMilli(at.toEpochMilli()); // as stored
        String hex = HEX.formatHex(certificate.sha256());
        String shown = Fingerprints.format(certificate.sha256());
        storage.transaction(c -> {
            if (Storage.query(c, "SELECT 1 FROM device WHERE id = ?", rs -> 1, deviceId).isEmpty()) {
                throw ThingportException.notFound("device", deviceId);
            }
            Optional<String> owner = Storage.query(c, "SELECT device_id FROM device_certificate WHERE fingerprint = ?",
                    rs -> rs.getString(1), hex).stream().findFirst();
            if (owner.isPresent()) {
                throw new ThingportException(ErrorCode.CONFLICT, owner.get().equals(deviceId)
                        ? "certificate " + shown + " is already bound to device " + deviceId
                        : "certificate " + shown + " is bound to device " + owner.get() + ": a certificate identifies one device;"
                                + " unbind it from " + owner.get() + " first");
            }
            int held = Storage.query(c, "SELECT COUNT(*) FROM device_certificate WHERE device_id = ?", rs -> rs.getInt(1), deviceId)
                    .get(0);
            if (held >= DeviceService.MAX_DEVICE_CERTIFICATES) {
                throw new ThingportException(ErrorCode.CONFLICT, "device " + deviceId + " has " + held + " bound certificates, the"
                        + " most it may hold: unbind one first");
            }
            return Storage.update(c, "INSERT INTO device_certificate (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)", deviceId, hex,
                    certificate.subject(), certificate.issuer(),
                    certificate.notAfter() == null ? null : certificate.notAfter().toEpochMilli(), now.toEpochMilli());
        });
        return new DeviceCertificate(deviceId, shown, certificate.subject(), certificate.issuer(), certificate.notAfter(), now);
    }

    /**
     * Removes a binding.
     *
     * @throws ThingportException {@code NOT_FOUND} when the certificate is not bound to the device
     */
    void unbind(String deviceId, byte[] sha256) {
        int removed = storage.transaction(c -> Storage.update(c,
                "DELETE FROM device_certificate WHERE device_id = ? AND fingerprint = ?", deviceId, HEX.formatHex(sha256)));
        if (removed == 0) {
            throw new ThingportException(ErrorCode.NOT_FOUND, "certificate " + Fingerprints.format(sha256) + " is not bound to device "
                    + deviceId);
        }
    }

    /** The device's bindings, oldest first. */
    List<DeviceCertificate> list(String deviceId) {
        return storage.query("SELECT " + COLUMNS + " FROM device_certificate WHERE device_id = ? ORDER BY bound_at, fingerprint",
                DeviceCertificates::row, deviceId);
    }

    /**
     * Whether the certificate whose digest is {@code sha256} is bound to the device. Every fingerprint the device holds
     * is compared, each in constant time ({@link MessageDigest#isEqual}).
     */
    boolean bound(String deviceId, byte[] sha256) {
        List<String> held = storage.query("SELECT fingerprint FROM device_certificate WHERE device_id = ?", rs -> rs.getString(1),
                deviceId);
        boolean bound = false;
        for (String fingerprint : held) {
            bound |= MessageDigest.isEqual(HEX.parseHex(fingerprint), sha256);
        }
        return bound;
    }

    /** Deletes the device's bindings, in the caller's transaction (the device's delete). */
    static void deleteAll(Connection c, String deviceId) throws SQLException {
        Storage.update(c, "DELETE FROM device_certificate WHERE device_id = ?", deviceId);
    }
}

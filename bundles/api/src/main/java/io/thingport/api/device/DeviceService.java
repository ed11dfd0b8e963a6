package io.thingport.api.device;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Devices, their state and their stored properties. Every method validates its input whole and either applies all
 * of it or nothing.
 */
@ProviderType
public interface DeviceService {
    /** The most client certificates bound to one device at a time ({@link #bindCertificate}). */
    int MAX_DEVICE_CERTIFICATES = 8;

    CreatedDevice createDevice(NewDevice device);

    /**
     * Creates many devices of one product at once. Every row is checked first; if any row is wrong (bad id,
     * duplicate, existing device) nothing is created and the exception lists every wrong row by line number.
     * As {@link #importDevices(String, String, ImportFormat, ImportProgress)} without listening to its progress.
     */
    default List<CreatedDevice> importDevices(String productId, String content, ImportFormat format) {
        return importDevices(productId, content, format, ImportProgress.NONE);
    }

    /**
     * Creates many devices of one product at once (at most 100,000), in one transaction: all of them or none. Every row
     * is checked first; if any row is wrong (bad id, duplicate, existing device) nothing is created and the exception
     * ({@code INVALID_ARGUMENT}) lists every wrong row by line number.
     *
     * @param progress hears how far the import has come, on the calling thread ({@link ImportProgress})
     * @throws io.thingport.api.ThingportException {@code NOT_FOUND} for an unknown product; {@code INVALID_ARGUMENT}
     *                                             for wrong rows; what {@code progress} throws
     */
    List<CreatedDevice> importDevices(String productId, String content, ImportFormat format, ImportProgress progress);

    Optional<Device> findDevice(String deviceId);

    /** @throws io.thingport.api.ThingportException {@code NOT_FOUND} */
    Device getDevice(String deviceId);

    /**
     * Every device of a product, or of all products with {@code null}, read whole into memory: for small sets only;
     * lists that users page through take {@link #queryDevices}.
     */
    List<Device> listDevices(String productId);

    /** The most tags one device carries ({@link #setTags}); since 1.3. */
    int MAX_TAGS = 32;
    /** The longest tag key (an identifier: a letter, then letters, digits, underscore); since 1.3. */
    int MAX_TAG_KEY = 64;
    /** The longest tag value (any text without control characters, may be empty); since 1.3. */
    int MAX_TAG_VALUE = 256;

    /**
     * One page of the devices that match the query, by id (in the database's order of ids: its collation), read from the
     * database through its indexes (never the whole table). The status filter reads the stored connection state, which
     * follows a change within milliseconds (state writes are batched); the devices returned show their current state.
     * Since 1.3.
     *
     * @throws io.thingport.api.ThingportException {@code INVALID_ARGUMENT} for a limit out of range, a cursor this
     *                                             method did not issue, or a tag that is not a valid tag
     */
    DevicePage queryDevices(DeviceQuery query);

    /**
     * How many devices match the query's products, tags and id prefix, per status (its status, cursor and limit are
     * ignored); every status is in the map, with 0 when none has it. Since 1.3.
     *
     * @throws io.thingport.api.ThingportException {@code INVALID_ARGUMENT} for a tag that is not a valid tag
     */
    Map<DeviceStatus, Long> countByStatus(DeviceQuery query);

    /**
     * Replaces the device's tags with {@code tags} (at most {@link #MAX_TAGS}; empty removes them all). Since 1.3.
     *
     * @throws io.thingport.api.ThingportException {@code NOT_FOUND} for an unknown device; {@code INVALID_ARGUMENT} for a
     *                                             key that is not an identifier of at most {@link #MAX_TAG_KEY}
     *                                             characters, a value longer than {@link #MAX_TAG_VALUE} or with control
     *                                             characters, or too many tags; nothing is changed then
     */
    Device setTags(String deviceId, Map<String, String> tags);

    /**
     * Sets the tags in {@code put} (replacing a value a key had) and removes the keys in {@code remove}, in one change
     * (validated as {@link #setTags}; removing a key the device does not carry is no error). Since 1.3.
     */
    Device updateTags(String deviceId, Map<String, String> put, Set<String> remove);

    /**
     * Sets the device's MAC address, or clears it with {@code null}. A device also reports its own: a string property
     * named {@code mac} in its thing model, whose reported value (when it is a MAC address) replaces the stored one.
     * Since 1.3.
     *
     * @param mac {@code aa:bb:cc:dd:ee:ff}, {@code AA-BB-CC-DD-EE-FF}, {@code aabb.ccdd.eeff} or {@code aabbccddeeff};
     *            stored as {@code aa:bb:cc:dd:ee:ff}
     * @throws io.thingport.api.ThingportException {@code NOT_FOUND} for an unknown device; {@code INVALID_ARGUMENT} for
     *                                             a value that is not a MAC address
     */
    Device setMac(String deviceId, String mac);

    /**
     * Deletes the device, its stored properties, its log, its tags, its shadow, its sub-device bindings (as a sub-device
     * and as a gateway) and its certificate bindings; closes its connection if online.
     */
    void deleteDevice(String deviceId);

    /** Disabling closes the device's connection and refuses its next logins. */
    Device setEnabled(String deviceId, boolean enabled);

    /** Generates a new secret (the old one stops working at once) and returns it. */
    String rotateSecret(String deviceId);

    /**
     * Binds a client certificate to the device: a protocol that identifies devices by their TLS/DTLS client certificate
     * (the official protocol: by its CN) accepts the device only with a certificate bound to it, not with any
     * certificate its trusted CA signed. A device holds at most {@link #MAX_DEVICE_CERTIFICATES} (a new one can be bound
     * before the old one is unbound, for rotation); a certificate is bound to one device at most.
     *
     * @param certificatePem the certificate (PEM); when the text holds a chain, its first certificate (the leaf)
     * @throws io.thingport.api.ThingportException {@code NOT_FOUND} for an unknown device; {@code INVALID_ARGUMENT} for
     *                                             text that is not a PEM certificate or an expired certificate;
     *                                             {@code CONFLICT} when it is bound already (to this device or another)
     *                                             or the device holds the most
     */
    DeviceCertificate bindCertificate(String deviceId, String certificatePem);

    /**
     * Binds a client certificate by its SHA-256 fingerprint alone, as {@link #bindCertificate} (its subject, issuer and
     * validity stay unknown).
     *
     * @param fingerprint 64 hex digits, with or without colons between the pairs
     * @throws io.thingport.api.ThingportException as {@link #bindCertificate}; {@code INVALID_ARGUMENT} for a value that
     *                                             is not a SHA-256 fingerprint
     */
    DeviceCertificate bindCertificateFingerprint(String deviceId, String fingerprint);

    /**
     * Removes a binding: the certificate stops identifying the device at once (its connection is closed).
     *
     * @param fingerprint 64 hex digits, with or without colons between the pairs
     * @throws io.thingport.api.ThingportException {@code NOT_FOUND} for an unknown device or a certificate not bound to
     *                                             it; {@code INVALID_ARGUMENT} for a value that is not a fingerprint
     */
    void unbindCertificate(String deviceId, String fingerprint);

    /**
     * The certificates bound to the device, oldest binding first.
     *
     * @throws io.thingport.api.ThingportException {@code NOT_FOUND} for an unknown device
     */
    List<DeviceCertificate> listCertificates(String deviceId);

    /** The latest stored value of every property the device has reported. */
    Map<String, PropertyValue> latestProperties(String deviceId);

    /** Stored values of one property, newest first. */
    List<PropertyValue> propertyHistory(String deviceId, String property, int limit);

    /** The most buckets {@link #propertySeries} returns, and the most values it reads for one call. */
    int MAX_BUCKETS = 10_000;
    int MAX_SERIES_VALUES = 1_000_000;

    /**
     * Stored values of one property within {@code [from, to)} ({@code null}: unbounded), newest first, one page of at
     * most {@code limit} (1 to 1000) values starting at {@code cursor} ({@code null}: the newest).
     *
     * @throws io.thingport.api.ThingportException {@code NOT_FOUND} for an unknown device, {@code INVALID_ARGUMENT}
     *                                             for a bad limit, range or cursor
     */
    PropertyPage propertyHistory(String deviceId, String property, Instant from, Instant to, String cursor, int limit);

    /**
     * One property's values within {@code [from, to)} downsampled into buckets of {@code interval}, oldest first; empty
     * buckets are left out.
     *
     * @throws io.thingport.api.ThingportException {@code INVALID_ARGUMENT} when the range would make more than
     *                                             {@link #MAX_BUCKETS} buckets, {@code TOO_LARGE} when it holds more
     *                                             than {@link #MAX_SERIES_VALUES} values
     */
    List<PropertyBucket> propertySeries(String deviceId, String property, Instant from, Instant to, Duration interval);
}

package io.thingport.itests;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The secrets of the devices a test created, by device id. */
final class DeviceSecrets {
    private static final Map<String, String> SECRETS = new ConcurrentHashMap<>();

    private DeviceSecrets() {
    }

    static void put(String deviceId, String secret) {
        SECRETS.put(deviceId, secret);
    }

    static String get(String deviceId) {
        String secret = SECRETS.get(deviceId);
        if (secret == null) {
            throw new IllegalStateException("no device " + deviceId + " was created by this test");
        }
        return secret;
    }
}

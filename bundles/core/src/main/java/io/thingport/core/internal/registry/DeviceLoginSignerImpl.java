package io.thingport.core.internal.registry;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.DeviceLoginSigner;
import io.thingport.api.device.SignedLogin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Signs official-protocol logins with the secrets the registry holds: the secret stays here, only a login good for one
 * connection leaves. Blocks on storage on the first look-up of a device (never call it on an event loop).
 */
@Component(service = DeviceLoginSigner.class)
public final class DeviceLoginSignerImpl implements DeviceLoginSigner {
    private final DeviceServiceImpl devices;

    @Activate
    public DeviceLoginSignerImpl(@Reference DeviceServiceImpl devices) {
        this.devices = devices;
    }

    @Override
    public SignedLogin signLogin(String deviceId) {
        DeviceRecord r = devices.record(deviceId).orElseThrow(() -> ThingportException.notFound("device", deviceId));
        if (!r.enabled()) {
            throw new ThingportException(ErrorCode.FORBIDDEN, "device " + deviceId + " is disabled: it cannot log in");
        }
        return SignedLogin.sign(r.id(), r.secret(), System.currentTimeMillis());
    }
}

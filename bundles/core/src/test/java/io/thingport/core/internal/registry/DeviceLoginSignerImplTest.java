package io.thingport.core.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.RequestSignature;
import io.thingport.api.device.NewDevice;
import io.thingport.api.device.SignedLogin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("storage")
class DeviceLoginSignerImplTest {
    private final RegistryFixture fixture = new RegistryFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void signsWithTheStoredSecret() {
        // Verifies that a signed login is the official protocol's username and HMAC of it keyed with the device secret.
        // GIVEN a device with a known secret
        fixture.product(false);
        fixture.devices.createDevice(new NewDevice("dev-1", "p1", null, "s3cr3t-s3cr3t"));
        DeviceLoginSignerImpl signer = new DeviceLoginSignerImpl(fixture.devices);
        long before = System.currentTimeMillis();

        // WHEN a login is signed for it
        SignedLogin login = signer.signLogin("dev-1");

        // THEN it carries the device id, a current timestamp and the signature the authenticator checks
        assertThat(login.clientId()).isEqualTo("dev-1");
        long ts = Long.parseLong(login.username().substring("dev-1|".length()));
        assertThat(ts).isBetween(before, System.currentTimeMillis());
        assertThat(login.password()).isEqualTo(RequestSignature.hmac("s3cr3t-s3cr3t", login.username()));
        assertThat(login.toString()).doesNotContain(login.password());
    }

    @Test
    void refusesUnknownAndDisabledDevices() {
        // Verifies that no login is signed for a device that does not exist or is disabled.
        // GIVEN a disabled device
        fixture.product(false);
        fixture.devices.createDevice(new NewDevice("dev-1", "p1", null, null));
        fixture.devices.setEnabled("dev-1", false);
        DeviceLoginSignerImpl signer = new DeviceLoginSignerImpl(fixture.devices);

        // WHEN / THEN signing is refused, naming the reason
        assertThatThrownBy(() -> signer.signLogin("nope")).isInstanceOf(ThingportException.class)
                .hasMessage("device nope does not exist");
        assertThatThrownBy(() -> signer.signLogin("dev-1")).isInstanceOf(ThingportException.class)
                .hasMessageContaining("disabled").extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void signsTheSpecVector() {
        // Verifies that SignedLogin.sign reproduces the official protocol's worked example.
        // GIVEN / WHEN the spec's device, secret and timestamp are signed
        SignedLogin login = SignedLogin.sign("dev-1", "s3cr3t", 1700000000000L);

        // THEN the password is the one in the spec
        assertThat(login.username()).isEqualTo("dev-1|1700000000000");
        assertThat(login.password()).isEqualTo("b58a6ffc3f9c429b8848c7b65e1e82505035b9daa6686ea1d0baa2ea3da549ac");
    }
}

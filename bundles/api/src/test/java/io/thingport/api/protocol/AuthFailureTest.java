package io.thingport.api.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AuthFailureTest {

    @Test
    void everyBadCredentialsFailureTellsTheDeviceTheSame() {
        // Verifies that an unknown device, a bad signature, a stale or replayed timestamp, an unknown product, malformed
        // credentials and a client certificate not bound to the device all show the device one code and one message:
        // a peer learns nothing from them.
        // GIVEN the bad-credentials failures
        Set<AuthFailure> bad = Arrays.stream(AuthFailure.values()).filter(AuthFailure::badCredentials).collect(Collectors.toSet());
        // THEN they are the six that come before the device has proven its secret or its certificate, and each says the same
        assertThat(bad).containsExactlyInAnyOrder(AuthFailure.MALFORMED_CREDENTIALS, AuthFailure.UNKNOWN_DEVICE,
                AuthFailure.UNKNOWN_PRODUCT, AuthFailure.BAD_SIGNATURE, AuthFailure.STALE_TIMESTAMP, AuthFailure.UNBOUND_CERTIFICATE);
        assertThat(bad).extracting(AuthFailure::deviceCode).containsOnly("bad_credentials");
        assertThat(bad).extracting(AuthFailure::deviceMessage).containsOnly("bad user name or password");
    }

    @Test
    void failuresAfterProofKeepTheirOwnCodeWithAFixedMessage() {
        // Verifies the codes of the refusals an authenticated device may learn, each with a fixed text (never a detail).
        assertThat(AuthFailure.DISABLED_DEVICE.deviceCode()).isEqualTo("disabled_device");
        assertThat(AuthFailure.DISABLED_DEVICE.deviceMessage()).isEqualTo("the device is disabled");
        assertThat(AuthFailure.REGISTRATION_NOT_ALLOWED.deviceCode()).isEqualTo("registration_not_allowed");
        assertThat(AuthFailure.REGISTRATION_NOT_ALLOWED.deviceMessage()).isEqualTo("the product does not allow dynamic registration");
        assertThat(AuthFailure.NOT_AUTHORIZED.deviceCode()).isEqualTo("not_authorized");
        assertThat(AuthFailure.NOT_AUTHORIZED.deviceMessage()).isEqualTo("not authorized");
    }
}

package io.thingport.network.mqtt.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.thingport.api.protocol.AuthFailure;
import org.junit.jupiter.api.Test;

/** The mapping of the platform's refusals to MQTT 3.1.1 return codes and MQTT 5 reason codes, alone. */
class MqttReasonCodesTest {

    @Test
    void badCredentialsAreRefusedWith0x04Or0x86() {
        // Verifies that every failure counted as bad credentials reads 0x04 on MQTT 3.1.1 and 0x86 on MQTT 5.
        for (AuthFailure failure : AuthFailure.values()) {
            if (!failure.badCredentials()) {
                continue;
            }
            // GIVEN a refusal for bad credentials
            // WHEN it is mapped for both protocol versions
            MqttConnectReturnCode v3 = MqttReasonCodes.loginRefused(false, failure);
            MqttConnectReturnCode v5 = MqttReasonCodes.loginRefused(true, failure);

            // THEN the codes are "bad user name or password"
            assertThat(v3.byteValue()).as("%s on 3.1.1", failure).isEqualTo((byte) 0x04);
            assertThat(v5.byteValue()).as("%s on 5", failure).isEqualTo((byte) 0x86);
        }
    }

    @Test
    void otherRefusalsAreNotAuthorized0x05Or0x87() {
        // Verifies that a disabled device, a refused registration or a refused device reads 0x05 / 0x87.
        for (AuthFailure failure : new AuthFailure[] {AuthFailure.DISABLED_DEVICE, AuthFailure.REGISTRATION_NOT_ALLOWED,
                AuthFailure.NOT_AUTHORIZED}) {
            // GIVEN a refusal that is not about credentials
            // WHEN it is mapped for both protocol versions
            MqttConnectReturnCode v3 = MqttReasonCodes.loginRefused(false, failure);
            MqttConnectReturnCode v5 = MqttReasonCodes.loginRefused(true, failure);

            // THEN the codes are "not authorized"
            assertThat(v3.byteValue()).as("%s on 3.1.1", failure).isEqualTo((byte) 0x05);
            assertThat(v5.byteValue()).as("%s on 5", failure).isEqualTo((byte) 0x87);
        }
    }

    @Test
    void aLoginRefusedBecauseThePlatformIsBusyIsServerUnavailable0x03OrServerBusy0x89() {
        // Verifies that a login refused at the bound of waiting logins tells the device to come back, not that it is
        // not authorized.
        assertThat(MqttReasonCodes.loginRefused(false, AuthFailure.SERVER_BUSY).byteValue()).isEqualTo((byte) 0x03);
        assertThat(MqttReasonCodes.loginRefused(true, AuthFailure.SERVER_BUSY).byteValue()).isEqualTo((byte) 0x89);
    }

    @Test
    void anAuthenticationErrorIsServerUnavailable() {
        // Verifies that a failed authentication (an error, not a refusal) reads 0x03 on MQTT 3.1.1 and 0x88 on MQTT 5.
        // GIVEN / WHEN an authentication error is mapped
        // THEN the device is told the server is unavailable, not that its credentials are wrong
        assertThat(MqttReasonCodes.authenticationError(false).byteValue()).isEqualTo((byte) 0x03);
        assertThat(MqttReasonCodes.authenticationError(true).byteValue()).isEqualTo((byte) 0x88);
    }

    @Test
    void subAckCodesFollowTheProtocolVersion() {
        // Verifies SUBACK codes: 0x80 for any failure on 3.1.1, 0x8F (bad filter) and 0x87 (not authorized) on 5.
        // GIVEN / WHEN refused subscriptions are mapped
        // THEN the codes are per version
        assertThat(MqttReasonCodes.subAckBadFilter(false)).isEqualTo(0x80);
        assertThat(MqttReasonCodes.subAckNotAuthorized(false)).isEqualTo(0x80);
        assertThat(MqttReasonCodes.subAckBadFilter(true)).isEqualTo(0x8F);
        assertThat(MqttReasonCodes.subAckNotAuthorized(true)).isEqualTo(0x87);
    }

    @Test
    void aSubscriptionIsGrantedAtMostQos1() {
        // Verifies that the granted QoS is the requested one, capped at 1 (QoS 2 is not supported).
        // GIVEN / WHEN subscriptions at each QoS are granted
        // THEN QoS 2 is granted as 1
        assertThat(MqttReasonCodes.subAckGranted(MqttQoS.AT_MOST_ONCE)).isZero();
        assertThat(MqttReasonCodes.subAckGranted(MqttQoS.AT_LEAST_ONCE)).isEqualTo(1);
        assertThat(MqttReasonCodes.subAckGranted(MqttQoS.EXACTLY_ONCE)).isEqualTo(1);
    }

    @Test
    void unsubAckSaysWhetherTheFilterWasSubscribed() {
        // Verifies the MQTT 5 UNSUBACK reason codes: 0x00 success, 0x11 no subscription existed.
        // GIVEN / WHEN removed and unknown filters are mapped
        // THEN the codes differ
        assertThat(MqttReasonCodes.unsubAck(true)).isEqualTo((short) 0x00);
        assertThat(MqttReasonCodes.unsubAck(false)).isEqualTo((short) 0x11);
    }

    @Test
    void aPublishTopicNameHasNoWildcardAndIsNotEmpty() {
        // Verifies that a PUBLISH topic name with + or # or an empty one is a protocol error.
        // GIVEN / WHEN topic names are checked
        // THEN only plain, non-empty names pass
        assertThat(MqttReasonCodes.isValidTopicName("/p1/d1/properties/report")).isTrue();
        assertThat(MqttReasonCodes.isValidTopicName("/p1/+/properties/report")).isFalse();
        assertThat(MqttReasonCodes.isValidTopicName("/p1/#")).isFalse();
        assertThat(MqttReasonCodes.isValidTopicName("")).isFalse();
    }
}

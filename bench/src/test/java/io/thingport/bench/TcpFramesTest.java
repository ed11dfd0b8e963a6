package io.thingport.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TcpFramesTest {
    @Test
    void loginFrameCarriesTheSignedCredentials() {
        // same vector as AuthTest: the password is HMAC-SHA256(secret, username) in lowercase hex
        assertEquals("/auth {\"clientId\":\"dev-1\",\"username\":\"dev-1|1700000000000\","
                        + "\"password\":\"b58a6ffc3f9c429b8848c7b65e1e82505035b9daa6686ea1d0baa2ea3da549ac\"}\n",
                TcpFrames.login(new Device("dev-1", "s3cr3t"), 1700000000000L));
        assertEquals("/auth {\"clientId\":\"a\\\"b\",\"username\":\"u\",\"password\":\"p\"}\n", TcpFrames.login("a\"b", "u", "p"));
    }

    @Test
    void reportFrameIsTopicSpacePayloadNewline() throws Exception {
        PayloadSpec spec = PayloadSpec.parse("hum:int:5:5,seq:seq,note:string:a\nb");
        String json = spec.report("r-7", 7);
        String frame = TcpFrames.frame("/p/d1/properties/report", json);
        assertEquals("/p/d1/properties/report {\"messageId\":\"r-7\",\"properties\":{\"hum\":5,\"seq\":7,\"note\":\"a\\nb\"}}\n",
                frame);
        assertEquals(1, frame.chars().filter(c -> c == '\n').count(), "exactly one delimiter");
        assertThrows(IllegalArgumentException.class, () -> TcpFrames.frame("/p/d1/x", "{\n}"));
        assertThrows(IllegalArgumentException.class, () -> TcpFrames.frame("/p/d 1/x", "{}"));
    }

    @Test
    void authReplies() {
        TcpFrames.AuthReply ok = TcpFrames.authReply("/auth/reply {\"success\":true,\"deviceId\":\"d1\",\"productId\":\"p\"}");
        assertTrue(ok.success());
        TcpFrames.AuthReply refused = TcpFrames.authReply(
                "/auth/reply {\"success\":false,\"code\":\"bad_credentials\",\"message\":\"bad user name or password\"}");
        assertFalse(refused.success());
        assertEquals("bad_credentials: bad user name or password", refused.detail());
        assertEquals("refused", TcpFrames.authReply("/auth/reply {\"success\" : false}").detail());
        assertNull(TcpFrames.authReply("/p/d1/error {\"success\":true}"));
        assertNull(TcpFrames.authReply("/auth/reply {}"));
        assertNull(TcpFrames.authReply("/auth/reply"));
    }

    @Test
    void errorFrames() {
        String error = "/p/d1/error {\"messageId\":\"r-3\",\"code\":\"invalid_value\",\"message\":\"property hum: 500 > max 100\","
                + "\"topic\":\"/p/d1/properties/report\"}";
        assertTrue(TcpFrames.isError(error, "p", "d1"));
        assertFalse(TcpFrames.isError(error, "p", "d2"));
        assertFalse(TcpFrames.isError("/p/d1/properties/read {\"messageId\":\"x\"}", "p", "d1"));
        assertEquals("invalid_value", TcpFrames.errorCode(error));
        assertEquals("?", TcpFrames.errorCode("/p/d1/error"));
        assertEquals("/p/d1/error", TcpFrames.topic(error));
        assertEquals("", TcpFrames.payload("/p/d1/error"));
    }
}

package io.thingport.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AuthTest {
    @Test
    void officialTestVector() {
        String username = Auth.username("dev-1", 1700000000000L);
        assertEquals("dev-1|1700000000000", username);
        assertEquals("b58a6ffc3f9c429b8848c7b65e1e82505035b9daa6686ea1d0baa2ea3da549ac",
                Auth.password("s3cr3t", username));
    }

    @Test
    void hexIsLowercaseAndPadded() {
        assertEquals("000fa0ff", Auth.hex(new byte[] {0x00, 0x0f, (byte) 0xa0, (byte) 0xff}));
    }
}

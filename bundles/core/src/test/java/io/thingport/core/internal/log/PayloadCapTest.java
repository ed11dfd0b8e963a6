package io.thingport.core.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The cut of device-log payloads to a number of UTF-8 bytes. */
class PayloadCapTest {

    @Test
    void aTextThatFitsIsKeptWholeAndUnflagged() {
        // Verifies that nothing below the cap is touched, up to exactly the cap.
        assertThat(PayloadCap.cut("{\"temp\":21.5}", 4096)).isEqualTo(new PayloadCap.Cut("{\"temp\":21.5}", false));
        assertThat(PayloadCap.cut("a".repeat(4096), 4096).truncated()).isFalse();
        assertThat(PayloadCap.cut("€".repeat(1365), 4096).truncated()).isFalse(); // 4,095 bytes
    }

    @Test
    void aLongTextIsCutToTheCapInBytesAndFlagged() {
        // Verifies the cut of a 100 KiB text to 4,096 bytes.
        PayloadCap.Cut cut = PayloadCap.cut("a".repeat(100 * 1024), 4096);
        assertThat(cut.truncated()).isTrue();
        assertThat(cut.text()).hasSize(4096);
    }

    @Test
    void aCharacterIsNeverCutInTwo() {
        // Verifies multi-byte characters: 2-byte é, 3-byte €, and a 4-byte emoji (a surrogate pair in Java).
        assertThat(PayloadCap.cut("é".repeat(10), 5)).isEqualTo(new PayloadCap.Cut("éé", true));
        assertThat(PayloadCap.cut("€".repeat(10), 8)).isEqualTo(new PayloadCap.Cut("€€", true));
        PayloadCap.Cut emoji = PayloadCap.cut("\uD83D\uDE00".repeat(10), 7);
        assertThat(emoji.text()).isEqualTo("\uD83D\uDE00");
        assertThat(emoji.text().getBytes(StandardCharsets.UTF_8)).hasSize(4);
    }

    @Test
    void aBinaryPayloadKeepsWholeBase64Groups() {
        // Verifies that the kept start of a base64: payload still decodes.
        String text = "base64:" + Base64.getEncoder().encodeToString(new byte[3000]);
        PayloadCap.Cut cut = PayloadCap.cut(text, 1000);
        assertThat(cut.truncated()).isTrue();
        assertThat(cut.text()).startsWith("base64:").hasSize(7 + 992);
        assertThat(Base64.getDecoder().decode(cut.text().substring(7))).hasSize(744);
    }
}

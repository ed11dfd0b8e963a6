package io.thingport.core.internal.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sealing application secrets with AES-256-GCM, and the key file they are sealed under. */
class SecretSealTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SECRET = "q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c";

    @TempDir
    Path dir;

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    @Test
    void aSealedSecretOpensWithTheSameKeyAndContextOnlyAndHidesTheSecret() {
        // Verifies the round trip, that two seals of one secret differ (a random IV each), and that neither holds the
        // secret in any readable form.
        // GIVEN
        SecretSeal seal = new SecretSeal(key(7), RANDOM);
        // WHEN
        String first = seal.seal(SECRET, "app-aaaaaaaaaaaa");
        String second = seal.seal(SECRET, "app-aaaaaaaaaaaa");
        // THEN
        assertThat(first).startsWith("1:").isNotEqualTo(second).doesNotContain(SECRET);
        assertThat(new String(Base64.getUrlDecoder().decode(first.substring(2)), StandardCharsets.ISO_8859_1))
                .doesNotContain(SECRET);
        assertThat(seal.open(first, "app-aaaaaaaaaaaa")).isEqualTo(SECRET);
        assertThat(seal.open(second, "app-aaaaaaaaaaaa")).isEqualTo(SECRET);
    }

    @Test
    void aWrongKeyAContextOfAnotherApplicationOrADamagedValueIsAClearErrorNotACrash() {
        // Verifies that opening with another key file, under another application's id, or a damaged value fails with
        // INTERNAL and a message that says what to do, never with the value or a bare crypto exception.
        // GIVEN
        String sealed = new SecretSeal(key(1), RANDOM).seal(SECRET, "app-one");
        SecretSeal other = new SecretSeal(key(2), RANDOM);
        SecretSeal same = new SecretSeal(key(1), RANDOM);
        // WHEN / THEN
        assertThatThrownBy(() -> other.open(sealed, "app-one")).isInstanceOf(ThingportException.class)
                .hasMessage("the sealed secret of app-one does not open with this key: it was sealed with another key file (copy the"
                        + " key of the node that created it) or it is damaged")
                .satisfies(e -> assertThat(((ThingportException) e).code()).isEqualTo(ErrorCode.INTERNAL));
        assertThatThrownBy(() -> same.open(sealed, "app-two")).hasMessageContaining("does not open with this key");
        // a character in the middle: all six of its bits are data (the last one's low bits may be unused padding)
        int middle = sealed.length() / 2;
        char c = sealed.charAt(middle);
        String flipped = sealed.substring(0, middle) + (c == 'A' ? 'B' : 'A') + sealed.substring(middle + 1);
        assertThatThrownBy(() -> same.open(flipped, "app-one")).hasMessageContaining("does not open with this key");
        assertThatThrownBy(() -> same.open("1:%%%", "app-one")).hasMessage("the sealed secret of app-one is damaged (not a sealed value)");
        assertThatThrownBy(() -> same.open("plain-text", "app-one")).hasMessage("the sealed secret of app-one is damaged (not a sealed"
                + " value)");
        assertThatThrownBy(() -> new SecretSeal(new byte[16], RANDOM)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theKeyFileIsMadeOnFirstUseForItsOwnerOnlyAndReadAfterwards() throws Exception {
        // Verifies that the key file is created with 32 random bytes, readable by its owner only (POSIX), and that the
        // next load reads the same key instead of making another.
        // GIVEN
        Path file = dir.resolve("etc").resolve(AccessKeyFile.FILE_NAME);
        // WHEN
        byte[] first = AccessKeyFile.loadOrCreate(file, RANDOM);
        byte[] second = AccessKeyFile.loadOrCreate(file, RANDOM);
        // THEN
        assertThat(first).hasSize(32).isEqualTo(second).isNotEqualTo(new byte[32]);
        assertThat(Files.readAllBytes(file)).isEqualTo(first);
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        try (Stream<Path> listing = Files.list(file.getParent())) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly(AccessKeyFile.FILE_NAME);
        }
    }

    @Test
    void aKeyFileThatDoesNotHoldAKeyIsAClearError() throws Exception {
        // Verifies that a truncated key file is refused with a message naming the file and what to do.
        // GIVEN
        Path file = dir.resolve(AccessKeyFile.FILE_NAME);
        Files.write(file, new byte[10]);
        // WHEN / THEN
        assertThatThrownBy(() -> AccessKeyFile.loadOrCreate(file, RANDOM)).isInstanceOf(ThingportException.class)
                .hasMessage("the access key file " + file + " holds 10 bytes, not 32: restore it from a backup or from another node");
    }
}

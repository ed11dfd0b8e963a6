package io.thingport.network.dtls;

import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponentConfig;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * The DTLS keys of a datagram component, checked. DTLS is on when the component has a managed certificate
 * ({@code certificate}, see {@link NetworkComponentConfig#certificate()}) and/or a pre-shared key.
 *
 * @param pskIdentity the PSK identity devices present ({@code pskIdentity}, no default; needs {@code pskKey})
 * @param pskKey      the pre-shared key ({@code pskKey}, no default; needs {@code pskIdentity}): text (its UTF-8
 *                    bytes) or, with the prefix {@code 0x}, hexadecimal bytes
 * @param clientAuth  whether devices present a client certificate in the DTLS handshake ({@code clientAuth} =
 *                    {@code none} (default), {@code optional} or {@code require}); it is verified against
 *                    {@link NetworkComponentConfig#trusted()} and needs a {@code certificate}
 * @param tls         whether the component has a managed certificate
 */
public record DtlsSettings(String pskIdentity, byte[] pskKey, String clientAuth, boolean tls) {
    /** The keys read here. */
    public static final Set<String> KEYS = Set.of("pskIdentity", "pskKey", "clientAuth");

    public static DtlsSettings from(NetworkComponentConfig c) {
        String prefix = "network component " + c.id() + ": ";
        String identity = c.string("pskIdentity", null);
        String keyText = c.string("pskKey", null);
        if (identity == null && keyText != null) {
            throw ThingportException.invalidArgument(
                    prefix + "pskKey is set but pskIdentity is not: set both for DTLS with a pre-shared key");
        }
        if (identity != null && keyText == null) {
            throw ThingportException.invalidArgument(
                    prefix + "pskIdentity is set but pskKey is not: set both for DTLS with a pre-shared key");
        }
        if (identity != null && identity.getBytes(StandardCharsets.UTF_8).length > 65_535) {
            throw ThingportException.invalidArgument(prefix + "pskIdentity is longer than 65535 bytes");
        }
        byte[] key = keyText == null ? null : parseKey(prefix, keyText);
        String clientAuth = c.choice("clientAuth", "none", Set.of("none", "optional", "require"));
        if (!clientAuth.equals("none")) {
            if (!c.tls()) {
                throw ThingportException.invalidArgument(prefix + "clientAuth = " + clientAuth
                        + " needs DTLS with a certificate: set certificate = <name of a managed certificate>");
            }
            if (c.trusted().isEmpty()) {
                throw ThingportException.invalidArgument(prefix + "clientAuth = " + clientAuth
                        + " needs certificates to trust: set trust = <managed CA certificate>, or add the certificate with its CA chain");
            }
        }
        if (c.tls() && c.certificate().key() == null) {
            throw ThingportException.invalidArgument(prefix + "certificate " + c.certificate().name()
                    + " has no private key, so it cannot identify a DTLS server");
        }
        return new DtlsSettings(identity, key, clientAuth, c.tls());
    }

    private static byte[] parseKey(String prefix, String text) {
        if (!text.regionMatches(true, 0, "0x", 0, 2)) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        String hex = text.substring(2).toLowerCase(Locale.ROOT);
        if (hex.isEmpty() || hex.length() % 2 != 0 || !hex.matches("[0-9a-f]+")) {
            throw ThingportException.invalidArgument(prefix + "pskKey '0x...' must be an even number of hexadecimal digits after 0x");
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /** A pre-shared key is configured. */
    public boolean psk() {
        return pskIdentity != null;
    }

    /** DTLS is on: a certificate and/or a pre-shared key. */
    public boolean on() {
        return tls || psk();
    }

    @Override
    public byte[] pskKey() {
        return pskKey == null ? null : pskKey.clone();
    }

    @Override
    public String toString() {
        return "DtlsSettings[pskIdentity=" + pskIdentity + ", pskKey=" + (pskKey == null ? "none" : "***") + ", clientAuth="
                + clientAuth + ", tls=" + tls + "]";
    }
}

package io.thingport.api.network;

import io.thingport.api.ThingportException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM certificates and private keys, with errors that say what to do. */
public final class Pem {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    /** rsaEncryption AlgorithmIdentifier: SEQUENCE { OID 1.2.840.113549.1.1.1, NULL }. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d,
            0x01, 0x01, 0x01, 0x05, 0x00};

    private Pem() {
    }

    /** Every {@code CERTIFICATE} block, in order. */
    public static List<X509Certificate> certificates(String name, String pem) {
        List<X509Certificate> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem == null ? "" : pem);
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (m.find()) {
                if (!m.group(1).equals("CERTIFICATE")) {
                    throw ThingportException.invalidArgument("certificate " + name + ": expected CERTIFICATE blocks, found "
                            + m.group(1));
                }
                out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(decode(name, m.group(2)))));
            }
        } catch (CertificateException e) {
            throw ThingportException.invalidArgument("certificate " + name + ": not a valid X.509 certificate (" + e.getMessage() + ")");
        }
        if (out.isEmpty()) {
            throw ThingportException.invalidArgument(
                    "certificate " + name + ": no PEM certificate found (expected -----BEGIN CERTIFICATE-----)");
        }
        return out;
    }

    /** One private key: PKCS#8 ({@code PRIVATE KEY}) of any algorithm, or PKCS#1 ({@code RSA PRIVATE KEY}). */
    public static PrivateKey privateKey(String name, String pem) {
        Matcher m = BLOCK.matcher(pem == null ? "" : pem);
        if (!m.find()) {
            throw ThingportException.invalidArgument(
                    "certificate " + name + ": no PEM private key found (expected -----BEGIN PRIVATE KEY-----)");
        }
        byte[] der = decode(name, m.group(2));
        switch (m.group(1)) {
            case "PRIVATE KEY" -> {
                return pkcs8(name, der);
            }
            case "RSA PRIVATE KEY" -> {
                return pkcs8(name, rsaPkcs1ToPkcs8(der));
            }
            case "ENCRYPTED PRIVATE KEY" -> throw ThingportException.invalidArgument("certificate " + name
                    + ": the private key is encrypted; decrypt it first: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-plain.pem");
            default -> throw ThingportException.invalidArgument("certificate " + name + ": unsupported key format " + m.group(1)
                    + "; convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
        }
    }

    private static PrivateKey pkcs8(String name, byte[] der) {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw ThingportException.invalidArgument("certificate " + name + ": the private key is not an RSA, EC or Ed25519 PKCS#8 key");
    }

    private static byte[] decode(String name, String base64) {
        try {
            return Base64.getMimeDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw ThingportException.invalidArgument("certificate " + name + ": the PEM block is not valid base64");
        }
    }

    /** PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING(pkcs1) }. */
    private static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0x02);
        body.write(0x01);
        body.write(0x00);
        body.writeBytes(RSA_ALGORITHM);
        body.write(0x04);
        writeLength(body, pkcs1.length);
        body.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        writeLength(out, body.size());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
    }
}

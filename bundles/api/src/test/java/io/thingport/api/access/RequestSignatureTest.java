package io.thingport.api.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class RequestSignatureTest {
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String NONCE = "n0nce-0123456789_abc";
    private static final String TIMESTAMP = "1767225600000";

    @Test
    void canonicalTextIsSixLinesWithTheMethodUpperCasedAndThePathAsSent() {
        // Verifies the layout of the signed text: method upper case, path with its percent-encoding kept, sorted
        // query, body hash, timestamp and nonce, joined by single newlines and nothing after the nonce.
        // GIVEN a request with a lower-case method, an encoded path and an unsorted query
        String method = "post";
        String path = "/api/v1/devices/d%201/commands";

        // WHEN its canonical text is built
        String text = RequestSignature.canonical(method, path, "b=2&a=1", EMPTY_SHA256, TIMESTAMP, NONCE);

        // THEN it is exactly the six lines
        assertThat(text).isEqualTo("POST\n/api/v1/devices/d%201/commands\na=1&b=2\n" + EMPTY_SHA256 + "\n"
                + TIMESTAMP + "\n" + NONCE);
        assertThat(text.split("\n", -1)).hasSize(6);
    }

    @Test
    void canonicalTextOfARequestWithoutQueryHasAnEmptyThirdLine() {
        // Verifies that a missing query (null or empty) is signed as an empty line, so the text still has six lines.
        // GIVEN no query, as null and as empty text
        // WHEN the canonical texts are built
        String fromNull = RequestSignature.canonical("GET", "/api/v1/products", null, EMPTY_SHA256, TIMESTAMP, NONCE);
        String fromEmpty = RequestSignature.canonical("GET", "/api/v1/products", "", EMPTY_SHA256, TIMESTAMP, NONCE);

        // THEN both have an empty query line
        assertThat(fromNull).isEqualTo(fromEmpty)
                .isEqualTo("GET\n/api/v1/products\n\n" + EMPTY_SHA256 + "\n" + TIMESTAMP + "\n" + NONCE);
    }

    @Test
    void sortedQueryOrdersByNameThenByValueKeepingRepeatedNames() {
        // Verifies the order of pairs: by name, then by value (as text) for a repeated name; no pair is dropped.
        // GIVEN a query with a repeated name whose values are out of order
        String query = "z=1&a=2&a=10&a=1&m=x";

        // WHEN it is sorted
        String sorted = RequestSignature.sortedQuery(query);

        // THEN names are in order and the repeated name's values are in text order ("1" < "10" < "2")
        assertThat(sorted).isEqualTo("a=1&a=10&a=2&m=x&z=1");
    }

    @Test
    void sortedQueryKeepsDuplicatePairs() {
        // Verifies that a pair sent twice is signed twice: the platform sees both, so the signature must cover both.
        // GIVEN the same pair twice
        // WHEN sorted
        // THEN both stay
        assertThat(RequestSignature.sortedQuery("a=1&a=1")).isEqualTo("a=1&a=1");
    }

    @Test
    void sortedQueryWritesEmptyAndMissingValuesAsNameEquals() {
        // Verifies that "a=" and "a" mean the same (an empty value) and that empty parts between '&' are skipped.
        // GIVEN a query with an empty value, a name without '=', and stray separators
        String query = "&b&&a=&c=3&";

        // WHEN it is sorted
        String sorted = RequestSignature.sortedQuery(query);

        // THEN every name has '=' and the stray separators are gone
        assertThat(sorted).isEqualTo("a=&b=&c=3");
        assertThat(RequestSignature.sortedQuery("b")).isEqualTo(RequestSignature.sortedQuery("b="));
    }

    @Test
    void sortedQueryOfNothingIsEmpty() {
        // Verifies that a null, empty or separators-only query signs as an empty line.
        // GIVEN queries without any pair
        // WHEN sorted
        // THEN each is empty
        assertThat(RequestSignature.sortedQuery(null)).isEmpty();
        assertThat(RequestSignature.sortedQuery("")).isEmpty();
        assertThat(RequestSignature.sortedQuery("&&&")).isEmpty();
    }

    @Test
    void sortedQueryDecodesPercentEncodingAndReEncodesItTheOneRfc3986Way() {
        // Verifies that differently encoded forms of the same pair sign alike: lower/upper-case escapes, escaped
        // unreserved characters and raw reserved ones all end as RFC 3986 with upper-case hex.
        // GIVEN the same values encoded in different ways
        String lowerHex = RequestSignature.sortedQuery("name=caf%c3%a9&path=%2fa%2fb&t=%7e");
        String upperHex = RequestSignature.sortedQuery("name=caf%C3%A9&path=%2Fa%2Fb&t=~");

        // WHEN / THEN they give one text, with unreserved characters unescaped and all others escaped in upper case
        assertThat(lowerHex).isEqualTo(upperHex).isEqualTo("name=caf%C3%A9&path=%2Fa%2Fb&t=~");
        assertThat(RequestSignature.sortedQuery("k=a-b.c_d~e")).isEqualTo("k=a-b.c_d~e");
        assertThat(RequestSignature.sortedQuery("k=a*b!c'd(e)")).isEqualTo("k=a%2Ab%21c%27d%28e%29");
        assertThat(RequestSignature.sortedQuery("k%20x=1")).isEqualTo("k%20x=1");
    }

    @Test
    void sortedQueryReadsPlusAsASpaceAndAnEncodedPlusAsAPlus() {
        // Verifies the '+' rule (form encoding, as the JAX-RS runtime reads query parameters): a raw '+' is a space
        // and signs as %20, while %2B is a literal plus and signs as %2B.
        // GIVEN a value with a raw plus, one with %20 and one with %2B
        String rawPlus = RequestSignature.sortedQuery("q=a+b");
        String encodedSpace = RequestSignature.sortedQuery("q=a%20b");
        String encodedPlus = RequestSignature.sortedQuery("q=a%2Bb");

        // WHEN / THEN the raw plus and %20 agree, and the encoded plus differs from both
        assertThat(rawPlus).isEqualTo(encodedSpace).isEqualTo("q=a%20b");
        assertThat(encodedPlus).isEqualTo("q=a%2Bb");
    }

    @Test
    void sortedQueryEncodesUnicodeAsUtf8BytesWhetherSentRawOrEncoded() {
        // Verifies that non-ASCII names and values (including a character outside the BMP) sign as the percent
        // escapes of their UTF-8 bytes, the same whether the client sent them raw or already encoded.
        // GIVEN a Japanese name and value and an emoji, raw and encoded
        String raw = RequestSignature.sortedQuery("名前=値&e=\uD83D\uDE00");
        String encoded = RequestSignature.sortedQuery("%E5%90%8D%E5%89%8D=%E5%80%A4&e=%F0%9F%98%80");

        // WHEN / THEN both give the same escapes, sorted as the encoded (ASCII) text
        assertThat(raw).isEqualTo(encoded).isEqualTo("%E5%90%8D%E5%89%8D=%E5%80%A4&e=%F0%9F%98%80");
    }

    @Test
    void sortedQuerySignsAMalformedEscapeAsSent() {
        // Verifies that a value the decoder refuses (a '%' without two hex digits) is kept as sent and its '%'
        // escaped, instead of failing the request or dropping the pair.
        // GIVEN malformed escapes
        // WHEN sorted
        // THEN the text is kept and its '%' escaped
        assertThat(RequestSignature.sortedQuery("a=%zz")).isEqualTo("a=%25zz");
        assertThat(RequestSignature.sortedQuery("b=1&a=50%")).isEqualTo("a=50%25&b=1");
    }

    @Test
    void encodeLeavesOnlyUnreservedCharactersUnescaped() {
        // Verifies the RFC 3986 encoder byte by byte: letters, digits and -._~ stay, every other ASCII byte is %XX.
        // GIVEN every printable ASCII character
        for (char c = 0x20; c < 0x7f; c++) {
            // WHEN it is encoded
            String encoded = RequestSignature.encode(String.valueOf(c));

            // THEN it stays only when unreserved
            boolean unreserved = Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0;
            assertThat(encoded).as("encoding of '%s'", c)
                    .isEqualTo(unreserved ? String.valueOf(c) : String.format("%%%02X", (int) c));
        }
    }

    @Test
    void hmacMatchesTheRfc4231Vector() throws Exception {
        // Verifies HMAC-SHA256 against RFC 4231 test case 2 and against an HMAC computed here with javax.crypto.
        // GIVEN the RFC's key and data
        String key = "Jefe";
        String data = "what do ya want for nothing?";

        // WHEN signed
        String hmac = RequestSignature.hmac(key, data);

        // THEN it is the published value, in lower-case hex
        assertThat(hmac).isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
                .isEqualTo(independentHmac(key, data));
    }

    @Test
    void signIsTheHmacOfTheCanonicalTextComputedIndependently() throws Exception {
        // Verifies sign() end to end against a signature computed in this test from the documented layout: method,
        // path, sorted query, SHA-256 of the body, timestamp, nonce, keyed with the secret's UTF-8 bytes.
        // GIVEN a request with a body, a query to sort, and a non-ASCII secret
        String secret = "s3cr3t-ünïcode";
        byte[] body = "{\"type\":\"read\",\"properties\":[\"temp\"]}".getBytes(StandardCharsets.UTF_8);
        String bodyHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        String expectedText = "POST\n/api/v1/devices/d1/commands\na=1&b=x%20y\n" + bodyHash + "\n" + TIMESTAMP + "\n"
                + NONCE;

        // WHEN the library signs it
        String signature = RequestSignature.sign(secret, "post", "/api/v1/devices/d1/commands", "b=x+y&a=1", body,
                TIMESTAMP, NONCE);

        // THEN it is the independent HMAC of the documented text
        assertThat(signature).isEqualTo(independentHmac(secret, expectedText)).matches("[0-9a-f]{64}");
    }

    @Test
    void signOfNoBodyUsesTheHashOfNoBytes() throws Exception {
        // Verifies that a null body and an empty one sign alike, with the SHA-256 of no bytes.
        // GIVEN a GET without body
        String expectedText = "GET\n/api/v1/products\n\n" + EMPTY_SHA256 + "\n" + TIMESTAMP + "\n" + NONCE;

        // WHEN signed with a null and with an empty body
        String withNull = RequestSignature.sign("k", "GET", "/api/v1/products", "", null, TIMESTAMP, NONCE);
        String withEmpty = RequestSignature.sign("k", "GET", "/api/v1/products", "", new byte[0], TIMESTAMP, NONCE);

        // THEN both are the HMAC of the text with the empty hash
        assertThat(withNull).isEqualTo(withEmpty).isEqualTo(independentHmac("k", expectedText));
        assertThat(RequestSignature.sha256(null)).isEqualTo(EMPTY_SHA256);
        assertThat(RequestSignature.sha256("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void everyPartOfTheRequestChangesTheSignature() {
        // Verifies that the signature covers the secret, method, path, query, body, timestamp and nonce: changing any
        // one of them gives a different signature.
        // GIVEN a base request and seven variants, each with one part changed
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String base = RequestSignature.sign("k", "PUT", "/p", "a=1", body, TIMESTAMP, NONCE);
        Set<String> all = new LinkedHashSet<>();
        all.add(base);

        // WHEN each variant is signed
        all.add(RequestSignature.sign("k2", "PUT", "/p", "a=1", body, TIMESTAMP, NONCE));
        all.add(RequestSignature.sign("k", "POST", "/p", "a=1", body, TIMESTAMP, NONCE));
        all.add(RequestSignature.sign("k", "PUT", "/q", "a=1", body, TIMESTAMP, NONCE));
        all.add(RequestSignature.sign("k", "PUT", "/p", "a=2", body, TIMESTAMP, NONCE));
        all.add(RequestSignature.sign("k", "PUT", "/p", "a=1", "[]".getBytes(StandardCharsets.UTF_8), TIMESTAMP, NONCE));
        all.add(RequestSignature.sign("k", "PUT", "/p", "a=1", body, "1767225600001", NONCE));
        all.add(RequestSignature.sign("k", "PUT", "/p", "a=1", body, TIMESTAMP, NONCE + "x"));

        // THEN all eight differ, and the same request signs the same way again
        assertThat(all).hasSize(8);
        assertThat(RequestSignature.sign("k", "put", "/p", "a=1", body, TIMESTAMP, NONCE)).isEqualTo(base);
    }

    @Test
    void matchesOnlyEqualSignatures() {
        // Verifies matches(): equal text matches; null, a different length, one differing character or another
        // case does not.
        // GIVEN a signature
        String expected = RequestSignature.hmac("k", "text");

        // WHEN / THEN only the identical text matches
        assertThat(RequestSignature.matches(expected, expected)).isTrue();
        assertThat(RequestSignature.matches(expected, new String(expected))).isTrue();
        assertThat(RequestSignature.matches(expected, null)).isFalse();
        assertThat(RequestSignature.matches(expected, "")).isFalse();
        assertThat(RequestSignature.matches(expected, expected.substring(1))).isFalse();
        assertThat(RequestSignature.matches(expected, expected + "0")).isFalse();
        char last = expected.charAt(expected.length() - 1);
        String oneOff = expected.substring(0, expected.length() - 1) + (last == '0' ? '1' : '0');
        assertThat(RequestSignature.matches(expected, oneOff)).isFalse();
        assertThat(RequestSignature.matches("abcdef", "ABCDEF")).isFalse();
    }

    @Test
    void noncePatternAcceptsSixteenToSixtyFourUrlSafeCharacters() {
        // Verifies the nonce rule: 16 to 64 characters of [A-Za-z0-9_-].
        // GIVEN nonces at and beyond the bounds
        // WHEN / THEN only those within the bounds and alphabet match
        assertThat(RequestSignature.NONCE.matcher("a".repeat(16)).matches()).isTrue();
        assertThat(RequestSignature.NONCE.matcher("Az09_-".repeat(10) + "abcd").matches()).isTrue();
        assertThat(RequestSignature.NONCE.matcher("a".repeat(15)).matches()).isFalse();
        assertThat(RequestSignature.NONCE.matcher("a".repeat(65)).matches()).isFalse();
        assertThat(RequestSignature.NONCE.matcher("a".repeat(15) + "=").matches()).isFalse();
        assertThat(RequestSignature.NONCE.matcher("a".repeat(15) + "\n").matches()).isFalse();
    }

    private static String independentHmac(String secret, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }
}

package io.thingport.bridge.onenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import org.junit.jupiter.api.Test;

class StudioTokenTest {
    private static final String KEY = "KuF3NT/jUBJ62LNBB/A8XZA9CqS3Cu79B/ABmfA1UCw=";

    @Test
    void theSpecsTestVectorSigns() {
        // Verifies that sign = Base64(HMAC-SHA1(Base64Decode(key), et\nmethod\nres\nversion)) gives the spec's vector.
        // GIVEN the spec's key and the string 1537255523\nsha1\nproducts/123123\n2018-10-31
        // WHEN it is signed
        String sign = StudioToken.sign(KEY, "1537255523", SignMethod.SHA1, "products/123123", "2018-10-31");
        // THEN it is the documented value
        assertThat(sign).isEqualTo("lsaPSiiGvEFFjXu5WU7a6IkScqE=");
    }

    @Test
    void aTokenHasTheDocumentedFieldsUrlEncoded() {
        // Verifies that a token lists version, res, et, method and sign in order, each value URL-encoded.
        // GIVEN the vector's key, resource and expiry
        // WHEN a token is made
        String token = StudioToken.create(KEY, "products/123123", 1537255523L, SignMethod.SHA1);
        // THEN '/', '+' and '=' are percent-encoded and the sign is the vector
        assertThat(token)
                .isEqualTo("version=2018-10-31&res=products%2F123123&et=1537255523&method=sha1&sign=lsaPSiiGvEFFjXu5WU7a6IkScqE%3D");
    }

    @Test
    void eachMethodNamesItselfAndSignsDifferently() {
        // Verifies that md5, sha1 and sha256 appear by their wire names and give signatures of their own lengths.
        // GIVEN one key and resource
        // WHEN signed with each method
        String md5 = StudioToken.sign(KEY, "1", SignMethod.MD5, "products/p", StudioToken.VERSION);
        String sha1 = StudioToken.sign(KEY, "1", SignMethod.SHA1, "products/p", StudioToken.VERSION);
        String sha256 = StudioToken.sign(KEY, "1", SignMethod.SHA256, "products/p", StudioToken.VERSION);
        // THEN the lengths are those of 16, 20 and 32-byte MACs and the token names the method
        assertThat(md5).hasSize(24);
        assertThat(sha1).hasSize(28);
        assertThat(sha256).hasSize(44);
        assertThat(StudioToken.create(KEY, "products/p", 1, SignMethod.SHA256)).contains("&method=sha256&");
    }

    @Test
    void aKeyThatIsNotBase64IsRefusedWithoutShowingIt() {
        // Verifies that a bad access key is an INVALID_ARGUMENT that does not echo the key.
        // GIVEN a key with characters outside Base64
        // WHEN a token is made THEN it is refused
        assertThatThrownBy(() -> StudioToken.create("not*base64!", "products/p", 1, SignMethod.SHA1))
                .isInstanceOf(ThingportException.class)
                .hasMessageContaining("access key is not Base64")
                .hasMessageNotContaining("not*base64!")
                .extracting(e -> ((ThingportException) e).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }
}

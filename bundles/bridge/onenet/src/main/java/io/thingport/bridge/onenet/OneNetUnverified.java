package io.thingport.bridge.onenet;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Every wire detail this module uses that the gathered documentation does not state. Each is a guess kept in this one
 * place so that it is easy to correct once checked against the real OneNET; the README lists them.
 */
public final class OneNetUnverified {
    /**
     * OneNET Studio secure mode: the AES-128 key (and IV) is taken to be the configured 16-character aesKey encoded
     * as UTF-8 (the spec says "the 16 bytes of aesKey"; it does not say whether the string is first Base64-decoded).
     */
    public static final Charset STUDIO_AES_KEY_CHARSET = StandardCharsets.UTF_8;

    /** The default base URL of the OneNET Studio API. */
    public static final String DEFAULT_API_BASE_URL = "https://iot-api.heclouds.com";
    /** Path of "set device property" (POST). */
    public static final String SET_PROPERTY_PATH = "/thingmodel/set-device-property";
    /** Path of "invoke service" (POST). */
    public static final String CALL_SERVICE_PATH = "/thingmodel/call-service";
    /** The header that carries the token. */
    public static final String AUTHORIZATION_HEADER = "authorization";
    /** Body field: the product id. */
    public static final String FIELD_PRODUCT_ID = "product_id";
    /** Body field: the device name. */
    public static final String FIELD_DEVICE_NAME = "device_name";
    /** Body field: the service identifier (call-service only). */
    public static final String FIELD_IDENTIFIER = "identifier";
    /** Body field: the property values or the service input. */
    public static final String FIELD_PARAMS = "params";
    /** The token's {@code res} for a product-level access key: {@code products/{productId}}. */
    public static final String PRODUCT_RESOURCE_PREFIX = "products/";

    private OneNetUnverified() {
    }
}

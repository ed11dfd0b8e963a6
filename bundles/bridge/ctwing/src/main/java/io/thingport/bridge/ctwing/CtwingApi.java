package io.thingport.bridge.ctwing;

/** The CTWing (AEP) API's fixed wire names: base URL, paths, API versions, header names. */
public final class CtwingApi {
    /** The public API gateway; configurable ({@link CtwingBridgeConfig#apiBaseUrl()}). */
    public static final String DEFAULT_BASE_URL = "https://ag-api.ctwing.cn";
    /** Create a command ({@code POST}) and query one ({@code GET}). */
    public static final String COMMAND_PATH = "/aep_device_command/command";
    /** The {@code version} header of the create-command API. */
    public static final String CREATE_COMMAND_VERSION = "20190712225145";
    /** The {@code version} header of the query-command API. */
    public static final String QUERY_COMMAND_VERSION = "20190712225241";
    /** The gateway's clock: {@code GET /echo} answers with {@link #SERVER_TIMESTAMP_HEADER}. */
    public static final String ECHO_PATH = "/echo";
    /** The response header of {@code /echo} with the gateway's time in epoch milliseconds. */
    public static final String SERVER_TIMESTAMP_HEADER = "x-ag-timestamp";

    public static final String HEADER_APPLICATION = "application";
    public static final String HEADER_TIMESTAMP = "timestamp";
    public static final String HEADER_VERSION = "version";
    public static final String HEADER_SIGNATURE = "signature";
    public static final String HEADER_MASTER_KEY = "MasterKey";
    public static final String HEADER_CONTENT_TYPE = "Content-Type";
    public static final String CONTENT_TYPE = "application/json; charset=UTF-8";

    private CtwingApi() {
    }
}

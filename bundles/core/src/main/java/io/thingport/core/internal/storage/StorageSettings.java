package io.thingport.core.internal.storage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much the platform keeps on disk and holds in memory: the keys of the configuration {@code io.thingport.storage} (the file
 * {@code etc/io.thingport.storage.cfg}), their defaults and their ranges. {@link #parse} is a pure function: a bad
 * value is refused with a message naming the key, and that key keeps its default.
 *
 * @param deviceLogMaxAge                   device-log entries older than this are purged; {@link Duration#ZERO}: never
 * @param deviceLogMaxRowsPerDevice         the newest entries kept per device id; 0: no limit
 * @param deviceLogMaxPayloadBytes          UTF-8 bytes kept of each raw payload and of each decoded message
 * @param propertyHistoryMaxAge             property values older than this (by their timestamp) are purged, except the
 *                                          newest value of each property; {@link Duration#ZERO}: never
 * @param propertyHistoryMaxReportsPerDevice the newest property reports kept per device (a report that holds a
 *                                          property's newest value always stays); 0: no limit
 * @param refusedLoginsInterval             refused logins of one source, device and reason after the first are counted
 *                                          for this long and written as one entry
 * @param refusedLoginsMaxTracked           the most (source, device, reason) keys counted at once
 * @param purgeInterval                     how often the retention purge runs
 * @param purgeBatchSize                    the most rows one purge transaction deletes
 * @param uplinksMaxInflight                uplinks of all connections together that the platform is decoding, checking
 *                                          or storing; beyond, a transport gets {@code UNAVAILABLE} (back-pressure)
 * @param uplinksMaxInflightBytes           the raw payload bytes of those uplinks together
 * @param writerMaxQueuedWrites             device writes waiting for the storage writers; beyond, {@code UNAVAILABLE}
 * @param writerThreads                     storage writers on a server database (each its own connection; devices are
 *                                          spread over them); H2 always has one. Read when storage starts
 * @param loginsMaxQueued                   logins waiting for a worker to check their credentials; beyond, a login is
 *                                          refused as "server unavailable"
 * @param accessLogMaxAge                   access-log records older than this are purged; {@link Duration#ZERO}: never
 * @param accessLogMaxRows                  the newest access-log records kept; 0: no limit
 * @param systemLogMaxAge                   system-log events older than this are purged; {@link Duration#ZERO}: never
 * @param systemLogMaxRows                  the newest system-log events kept; 0: no limit
 * @param alarmsMaxAge                      device alarms raised longer ago than this are purged (active or not);
 *                                          {@link Duration#ZERO}: never
 * @param alarmsMaxRows                     the newest device alarms kept; 0: no limit
 * @param commandQueueMaxAge                queued commands queued longer ago than this are purged: at least 31 days,
 *                                          longer than any command may wait, so that only finished ones go
 */
public record StorageSettings(Duration deviceLogMaxAge, int deviceLogMaxRowsPerDevice, int deviceLogMaxPayloadBytes,
                              Duration propertyHistoryMaxAge, int propertyHistoryMaxReportsPerDevice, Duration refusedLoginsInterval,
                              int refusedLoginsMaxTracked, Duration purgeInterval, int purgeBatchSize,
                              int uplinksMaxInflight, long uplinksMaxInflightBytes, int writerMaxQueuedWrites, int loginsMaxQueued,
                              int writerThreads, Duration accessLogMaxAge, int accessLogMaxRows, Duration systemLogMaxAge,
                              int systemLogMaxRows, Duration alarmsMaxAge, int alarmsMaxRows, Duration commandQueueMaxAge) {

    public static final String DEVICE_LOG_MAX_AGE_DAYS = "deviceLog.maxAgeDays";
    public static final String DEVICE_LOG_MAX_ROWS_PER_DEVICE = "deviceLog.maxRowsPerDevice";
    public static final String DEVICE_LOG_MAX_PAYLOAD_BYTES = "deviceLog.maxPayloadBytes";
    public static final String PROPERTY_HISTORY_MAX_AGE_DAYS = "propertyHistory.maxAgeDays";
    public static final String PROPERTY_HISTORY_MAX_REPORTS_PER_DEVICE = "propertyHistory.maxReportsPerDevice";
    public static final String REFUSED_LOGINS_INTERVAL_SECONDS = "refusedLogins.intervalSeconds";
    public static final String REFUSED_LOGINS_MAX_TRACKED = "refusedLogins.maxTracked";
    public static final String PURGE_INTERVAL_MINUTES = "purge.intervalMinutes";
    public static final String PURGE_BATCH_SIZE = "purge.batchSize";
    public static final String UPLINKS_MAX_INFLIGHT = "uplinks.maxInflight";
    public static final String UPLINKS_MAX_INFLIGHT_BYTES = "uplinks.maxInflightBytes";
    public static final String WRITER_MAX_QUEUED_WRITES = "writer.maxQueuedWrites";
    public static final String LOGINS_MAX_QUEUED = "logins.maxQueued";
    public static final String WRITER_THREADS = "writer.threads";
    public static final String ACCESS_LOG_MAX_AGE_DAYS = "accessLog.maxAgeDays";
    public static final String ACCESS_LOG_MAX_ROWS = "accessLog.maxRows";
    public static final String SYSTEM_LOG_MAX_AGE_DAYS = "systemLog.maxAgeDays";
    public static final String SYSTEM_LOG_MAX_ROWS = "systemLog.maxRows";
    public static final String ALARMS_MAX_AGE_DAYS = "alarms.maxAgeDays";
    public static final String ALARMS_MAX_ROWS = "alarms.maxRows";
    public static final String COMMAND_QUEUE_MAX_AGE_DAYS = "commandQueue.maxAgeDays";

    /** The size of the device log's raw and decoded columns (characters, hence at least as many bytes). */
    static final int PAYLOAD_COLUMN_SIZE = 1_000_000;

    /** One key: its default and its range. */
    private record Key(String name, long defaultValue, long min, long max) {
    }

    private static final List<Key> KEYS = List.of(
            new Key(DEVICE_LOG_MAX_AGE_DAYS, 30, 0, 36_500),
            new Key(DEVICE_LOG_MAX_ROWS_PER_DEVICE, 100_000, 0, Integer.MAX_VALUE),
            new Key(DEVICE_LOG_MAX_PAYLOAD_BYTES, 4096, 64, PAYLOAD_COLUMN_SIZE),
            new Key(PROPERTY_HISTORY_MAX_AGE_DAYS, 90, 0, 36_500),
            new Key(PROPERTY_HISTORY_MAX_REPORTS_PER_DEVICE, 0, 0, Integer.MAX_VALUE),
            new Key(REFUSED_LOGINS_INTERVAL_SECONDS, 60, 1, 86_400),
            new Key(REFUSED_LOGINS_MAX_TRACKED, 10_000, 1, 1_000_000),
            new Key(PURGE_INTERVAL_MINUTES, 60, 1, 10_080),
            new Key(PURGE_BATCH_SIZE, 1000, 1, 10_000),
            // Sized for the distribution's 1 GiB heap: an uplink in flight holds its payload a few times over (raw,
            // decoded, log text, JSON), so 64 MiB of payloads stay well under a quarter of the heap.
            new Key(UPLINKS_MAX_INFLIGHT, 10_000, 1, 1_000_000),
            new Key(UPLINKS_MAX_INFLIGHT_BYTES, 64L * 1024 * 1024, 64 * 1024, 1L << 40),
            new Key(WRITER_MAX_QUEUED_WRITES, 20_000, 1, 1_000_000),
            new Key(LOGINS_MAX_QUEUED, 1000, 1, 100_000),
            // Measured on PostgreSQL 15, 2 cores: 1 writer ~7,000 reports/s, 4 writers ~15,000-23,000 (bench/README.md).
            new Key(WRITER_THREADS, 2, 1, 32),
            new Key(ACCESS_LOG_MAX_AGE_DAYS, 90, 0, 36_500),
            new Key(ACCESS_LOG_MAX_ROWS, 1_000_000, 0, Integer.MAX_VALUE),
            new Key(SYSTEM_LOG_MAX_AGE_DAYS, 90, 0, 36_500),
            new Key(SYSTEM_LOG_MAX_ROWS, 100_000, 0, Integer.MAX_VALUE),
            new Key(ALARMS_MAX_AGE_DAYS, 365, 0, 36_500),
            new Key(ALARMS_MAX_ROWS, 1_000_000, 0, Integer.MAX_VALUE),
            // a command waits 30 days at most (CommandQueueSettings.MAX_TTL): a row older than 31 days is finished
            new Key(COMMAND_QUEUE_MAX_AGE_DAYS, 31, 31, 36_500));

    /** The settings and the problems of a configuration: every refused or unknown key, in a sentence naming it. */
    public record Parsed(StorageSettings settings, List<String> problems) {
        public Parsed {
            problems = List.copyOf(problems);
        }
    }

    /** The settings without a configuration. */
    public static StorageSettings defaults() {
        return parse(Map.of()).settings();
    }

    /**
     * Reads the keys an operator wrote ({@code service.*}, {@code component.*}, {@code felix.*} and {@code osgi.*}
     * keys are ConfigurationAdmin's, DS's and fileinstall's, and ignored). Values are whole numbers, given as numbers
     * or text.
     */
    public static Parsed parse(Map<String, ?> properties) {
        List<String> problems = new ArrayList<>();
        Map<String, Long> values = values(properties, problems);
        for (String name : properties.keySet()) {
            if (!systemKey(name) && KEYS.stream().noneMatch(k -> k.name().equals(name))) {
                problems.add("unknown key " + name + " is ignored (the keys are " + KEYS.stream().map(Key::name).toList() + ")");
            }
        }
        StorageSettings settings = new StorageSettings(Duration.ofDays(values.get(DEVICE_LOG_MAX_AGE_DAYS)),
                values.get(DEVICE_LOG_MAX_ROWS_PER_DEVICE).intValue(), values.get(DEVICE_LOG_MAX_PAYLOAD_BYTES).intValue(),
                Duration.ofDays(values.get(PROPERTY_HISTORY_MAX_AGE_DAYS)), values.get(PROPERTY_HISTORY_MAX_REPORTS_PER_DEVICE).intValue(),
                Duration.ofSeconds(values.get(REFUSED_LOGINS_INTERVAL_SECONDS)), values.get(REFUSED_LOGINS_MAX_TRACKED).intValue(),
                Duration.ofMinutes(values.get(PURGE_INTERVAL_MINUTES)), values.get(PURGE_BATCH_SIZE).intValue(),
                values.get(UPLINKS_MAX_INFLIGHT).intValue(), values.get(UPLINKS_MAX_INFLIGHT_BYTES),
                values.get(WRITER_MAX_QUEUED_WRITES).intValue(), values.get(LOGINS_MAX_QUEUED).intValue(),
                values.get(WRITER_THREADS).intValue(), Duration.ofDays(values.get(ACCESS_LOG_MAX_AGE_DAYS)),
                values.get(ACCESS_LOG_MAX_ROWS).intValue(), Duration.ofDays(values.get(SYSTEM_LOG_MAX_AGE_DAYS)),
                values.get(SYSTEM_LOG_MAX_ROWS).intValue(), Duration.ofDays(values.get(ALARMS_MAX_AGE_DAYS)),
                values.get(ALARMS_MAX_ROWS).intValue(), Duration.ofDays(values.get(COMMAND_QUEUE_MAX_AGE_DAYS)));
        return new Parsed(settings, problems);
    }

    /**
     * What changed in force between two configurations, one {@code key old -> new} text per key whose value in force
     * differs (a refused value counts as its default), in the keys' order: a pure function, for the system log.
     */
    public static List<String> changes(Map<String, ?> before, Map<String, ?> after) {
        Map<String, Long> old = values(before, new ArrayList<>());
        Map<String, Long> now = values(after, new ArrayList<>());
        List<String> out = new ArrayList<>();
        for (Key key : KEYS) {
            if (!old.get(key.name()).equals(now.get(key.name()))) {
                out.add(key.name() + " " + old.get(key.name()) + " -> " + now.get(key.name()));
            }
        }
        return out;
    }

    /** The value in force of every key: the configured one, or the default where it is missing or refused. */
    private static Map<String, Long> values(Map<String, ?> properties, List<String> problems) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (Key key : KEYS) {
            values.put(key.name(), key.defaultValue());
            Object raw = properties.get(key.name());
            if (raw == null) {
                continue;
            }
            String text = String.valueOf(raw).trim();
            long value;
            try {
                value = Long.parseLong(text);
            } catch (NumberFormatException e) {
                problems.add(refused(key, text, "it is not a whole number"));
                continue;
            }
            if (value < key.min() || value > key.max()) {
                problems.add(refused(key, text, "it must be from " + key.min() + " to " + key.max()));
                continue;
            }
            values.put(key.name(), value);
        }
        return values;
    }

    private static String refused(Key key, String text, String why) {
        return key.name() + " = '" + text + "' is refused: " + why + "; the default " + key.defaultValue() + " stays in force";
    }

    private static boolean systemKey(String name) {
        return name.startsWith("service.") || name.startsWith("component.") || name.startsWith("felix.") || name.startsWith("osgi.");
    }
}

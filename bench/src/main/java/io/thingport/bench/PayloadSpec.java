package io.thingport.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The report's properties, from {@code --payload-props}: comma-separated {@code name:type[:args]}.
 * <ul>
 *   <li>{@code name:int:MIN:MAX} - random integer in [MIN, MAX]</li>
 *   <li>{@code name:double:MIN:MAX} - random number in [MIN, MAX], rounded to two decimals</li>
 *   <li>{@code name:bool} - random true/false</li>
 *   <li>{@code name:string:VALUE} - the constant string VALUE</li>
 *   <li>{@code name:seq} - the device's report sequence number (1, 2, 3, ... per device and run), so that
 *       the last value the platform stored can be compared with the last one sent</li>
 * </ul>
 */
final class PayloadSpec {
    static final String DEFAULT = "temp:double:0:50,hum:int:0:100";

    private enum Type { INT, DOUBLE, BOOL, STRING, SEQ }

    private record Prop(String jsonName, Type type, double min, double max, String constant) {
    }

    private final List<Prop> props;

    private PayloadSpec(List<Prop> props) {
        this.props = props;
    }

    static PayloadSpec parse(String spec) throws UsageException {
        List<Prop> props = new ArrayList<>();
        for (String item : spec.split(",")) {
            String s = item.strip();
            if (s.isEmpty()) {
                continue;
            }
            String[] p = s.split(":", -1);
            if (p.length < 2 || p[0].isBlank()) {
                throw new UsageException("bad --payload-props item '" + s + "' (want name:type[:args])");
            }
            String name = quote(p[0].strip());
            String type = p[1].strip().toLowerCase(Locale.ROOT);
            switch (type) {
                case "int", "double" -> {
                    if (p.length != 4) {
                        throw new UsageException("bad --payload-props item '" + s + "' (want name:" + type + ":MIN:MAX)");
                    }
                    double min;
                    double max;
                    try {
                        min = Double.parseDouble(p[2].strip());
                        max = Double.parseDouble(p[3].strip());
                    } catch (NumberFormatException e) {
                        throw new UsageException("bad number in --payload-props item '" + s + "'");
                    }
                    if (max < min) {
                        throw new UsageException("MAX < MIN in --payload-props item '" + s + "'");
                    }
                    props.add(new Prop(name, type.equals("int") ? Type.INT : Type.DOUBLE, min, max, null));
                }
                case "bool", "boolean" -> props.add(new Prop(name, Type.BOOL, 0, 0, null));
                case "seq" -> {
                    if (p.length != 2) {
                        throw new UsageException("bad --payload-props item '" + s + "' (want name:seq)");
                    }
                    props.add(new Prop(name, Type.SEQ, 0, 0, null));
                }
                case "string" -> {
                    if (p.length < 3) {
                        throw new UsageException("bad --payload-props item '" + s + "' (want name:string:VALUE)");
                    }
                    String value = s.substring(s.indexOf(':', s.indexOf(':') + 1) + 1);
                    props.add(new Prop(name, Type.STRING, 0, 0, quote(value)));
                }
                default -> throw new UsageException("unknown type '" + type + "' in --payload-props (int, double, bool, string, seq)");
            }
        }
        if (props.isEmpty()) {
            throw new UsageException("--payload-props defines no property");
        }
        return new PayloadSpec(props);
    }

    /** Whether a {@code name:seq} property is part of the report. */
    boolean hasSeq() {
        for (Prop p : props) {
            if (p.type == Type.SEQ) {
                return true;
            }
        }
        return false;
    }

    /**
     * Appends the whole report JSON: {"messageId":"...","properties":{...}}; {@code seq} is the value of
     * {@code name:seq} properties.
     */
    void appendReport(StringBuilder sb, String messageId, long seq) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        sb.append("{\"messageId\":").append(quote(messageId)).append(",\"properties\":{");
        for (int i = 0; i < props.size(); i++) {
            Prop p = props.get(i);
            if (i > 0) {
                sb.append(',');
            }
            sb.append(p.jsonName).append(':');
            switch (p.type) {
                case INT -> {
                    long lo = (long) Math.ceil(p.min);
                    long hi = Math.max(lo, (long) Math.floor(p.max));
                    sb.append(lo == hi ? lo : rnd.nextLong(lo, hi + 1));
                }
                case DOUBLE -> {
                    double v = p.max == p.min ? p.min : p.min + rnd.nextDouble() * (p.max - p.min);
                    sb.append(Math.round(v * 100.0) / 100.0);
                }
                case BOOL -> sb.append(rnd.nextBoolean());
                case STRING -> sb.append(p.constant);
                case SEQ -> sb.append(seq);
                default -> throw new IllegalStateException();
            }
        }
        sb.append("}}");
    }

    /**
     * A thing model that accepts these reports: {@code int} (or {@code long} beyond 32 bits) and {@code double} with
     * the spec's MIN and MAX, {@code bool}, {@code string}, and {@code long} for {@code seq}.
     */
    String thingModel() {
        StringBuilder sb = new StringBuilder("{\"properties\":[");
        for (int i = 0; i < props.size(); i++) {
            Prop p = props.get(i);
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"id\":").append(p.jsonName).append(",\"type\":");
            switch (p.type) {
                case INT -> {
                    long lo = (long) Math.ceil(p.min);
                    long hi = Math.max(lo, (long) Math.floor(p.max));
                    boolean fits = lo >= Integer.MIN_VALUE && hi <= Integer.MAX_VALUE;
                    sb.append("{\"type\":\"").append(fits ? "int" : "long").append("\",\"min\":").append(lo)
                            .append(",\"max\":").append(hi).append('}');
                }
                // values are rounded to 2 decimals: widen the bounds to the next hundredth outside them
                case DOUBLE -> sb.append("{\"type\":\"double\",\"min\":").append(Math.floor(p.min * 100) / 100.0)
                        .append(",\"max\":").append(Math.ceil(p.max * 100) / 100.0).append('}');
                case BOOL -> sb.append("\"bool\"");
                case STRING -> sb.append("\"string\"");
                case SEQ -> sb.append("\"long\"");
                default -> throw new IllegalStateException();
            }
            sb.append('}');
        }
        return sb.append("]}").toString();
    }

    String report(String messageId, long seq) {
        StringBuilder sb = new StringBuilder(96);
        appendReport(sb, messageId, seq);
        return sb.toString();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}

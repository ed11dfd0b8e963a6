package io.thingport.core.internal.access;

import io.thingport.api.ThingportException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The source addresses an application may call from: IPv4 and IPv6 addresses and CIDR blocks, parsed as literals only
 * (a host name is refused, never looked up). An IPv4-mapped IPv6 address ({@code ::ffff:10.0.0.9}) is the IPv4
 * address it maps. No ranges: every source matches. Pure and immutable.
 */
final class SourceRanges {
    /** The most entries an allow-list holds. */
    static final int MAX_RANGES = 100;

    /** One block: the address bytes (4 or 16) and how many leading bits must match. */
    private record Range(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private static final SourceRanges ANY = new SourceRanges(List.of());

    private final List<Range> ranges;

    private SourceRanges(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /**
     * The ranges of an allow-list.
     *
     * @throws ThingportException {@code INVALID_ARGUMENT} naming the first entry that is not an address or CIDR block
     */
    static SourceRanges parse(List<String> sources) {
        if (sources == null || sources.isEmpty()) {
            return ANY;
        }
        if (sources.size() > MAX_RANGES) {
            throw ThingportException.invalidArgument("allowedSources holds " + sources.size() + " entries, at most " + MAX_RANGES);
        }
        List<Range> ranges = new ArrayList<>();
        for (String source : sources) {
            Range r = source == null ? null : range(source.trim());
            if (r == null) {
                throw ThingportException.invalidArgument("allowedSources: '" + source + "' is not an IPv4 or IPv6 address or CIDR block"
                        + " (e.g. 192.0.2.7, 10.0.0.0/8, 2001:db8::/32)");
            }
            ranges.add(r);
        }
        return new SourceRanges(ranges);
    }

    /** Whether an entry is an address or CIDR block. */
    static boolean valid(String source) {
        return source != null && range(source.trim()) != null;
    }

    /** Whether the peer's address (a literal, as the transport reports it) may call: always when there are no ranges. */
    boolean matches(String address) {
        if (ranges.isEmpty()) {
            return true;
        }
        byte[] bytes = address == null ? null : peer(address.trim());
        if (bytes == null) {
            return false;
        }
        for (Range r : ranges) {
            if (r.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    private static Range range(String text) {
        int slash = text.indexOf('/');
        byte[] address = literal(slash < 0 ? text : text.substring(0, slash));
        if (address == null) {
            return null;
        }
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = text.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            prefix = Integer.parseInt(p);
            if (prefix > bits) {
                return null;
            }
        }
        if (address.length == 16 && mappedIpv4(address) && prefix >= 96) {
            return new Range(Arrays.copyOfRange(address, 12, 16), prefix - 96);
        }
        return new Range(address, prefix);
    }

    /** A peer's address: brackets and an IPv6 zone ({@code %eth0}) dropped, an IPv4-mapped address as IPv4. */
    private static byte[] peer(String text) {
        String t = text;
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        int zone = t.indexOf('%');
        if (zone >= 0 && t.indexOf(':') >= 0) {
            t = t.substring(0, zone);
        }
        byte[] bytes = literal(t);
        if (bytes != null && bytes.length == 16 && mappedIpv4(bytes)) {
            return Arrays.copyOfRange(bytes, 12, 16);
        }
        return bytes;
    }

    private static boolean mappedIpv4(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    /** The bytes of an IPv4 (4) or IPv6 (16) literal, or {@code null} when the text is neither. */
    static byte[] literal(String text) {
        if (text.indexOf(':') >= 0) {
            return ipv6(text);
        }
        return ipv4(text);
    }

    private static byte[] ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')
                    || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    private static byte[] ipv6(String text) {
        byte[] tail4 = null;
        String t = text;
        int lastColon = t.lastIndexOf(':');
        if (t.indexOf('.', lastColon) >= 0) {
            tail4 = ipv4(t.substring(lastColon + 1));
            if (tail4 == null) {
                return null;
            }
            // keep the colon(s) before the dotted part: "::1.2.3.4" leaves "::", "a:b::c:1.2.3.4" leaves "a:b::c:"
            t = t.substring(0, lastColon + 1);
            if (t.endsWith(":") && !t.endsWith("::")) {
                t = t.substring(0, t.length() - 1);
            }
        }
        int compress = t.indexOf("::");
        if (compress >= 0 && t.indexOf("::", compress + 1) >= 0) {
            return null;
        }
        List<Integer> head = groups(compress >= 0 ? t.substring(0, compress) : t);
        List<Integer> tail = compress >= 0 ? groups(t.substring(compress + 2)) : List.of();
        if (head == null || tail == null) {
            return null;
        }
        int groups = head.size() + tail.size() + (tail4 == null ? 0 : 2);
        if (compress < 0 ? groups != 8 : groups > 7) {
            return null;
        }
        byte[] out = new byte[16];
        int i = 0;
        for (int g : head) {
            out[i++] = (byte) (g >> 8);
            out[i++] = (byte) g;
        }
        int j = 16 - (tail4 == null ? 0 : 4) - tail.size() * 2;
        for (int g : tail) {
            out[j++] = (byte) (g >> 8);
            out[j++] = (byte) g;
        }
        if (tail4 != null) {
            System.arraycopy(tail4, 0, out, 12, 4);
        }
        return out;
    }

    /** The 16-bit groups of a colon-separated run ({@code ""}: none), or {@code null} when one is not 1 to 4 hex digits. */
    private static List<Integer> groups(String run) {
        List<Integer> out = new ArrayList<>();
        if (run.isEmpty()) {
            return out;
        }
        for (String g : run.split(":", -1)) {
            if (g.isEmpty() || g.length() > 4 || !g.chars().allMatch(c -> c < 128 && Character.digit(c, 16) >= 0)) {
                return null;
            }
            out.add(Integer.parseInt(g, 16));
        }
        return out;
    }
}

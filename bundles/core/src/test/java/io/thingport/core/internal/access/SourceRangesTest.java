package io.thingport.core.internal.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The source allow-list of an application: IPv4/IPv6 literals and CIDR blocks, never host names. */
class SourceRangesTest {

    @Test
    void ipv4AddressesAndBlocksMatchTheirAddressesOnly() {
        // Verifies single addresses, CIDR blocks with and without host bits, /0, and an IPv4-mapped IPv6 peer.
        // GIVEN
        SourceRanges ranges = SourceRanges.parse(List.of("192.0.2.7", "10.0.0.0/8", "172.16.5.9/12"));
        // WHEN / THEN
        assertThat(ranges.matches("192.0.2.7")).isTrue();
        assertThat(ranges.matches("192.0.2.8")).isFalse();
        assertThat(ranges.matches("10.255.1.2")).isTrue();
        assertThat(ranges.matches("11.0.0.1")).isFalse();
        assertThat(ranges.matches("172.31.255.255")).isTrue();
        assertThat(ranges.matches("172.32.0.0")).isFalse();
        assertThat(ranges.matches("::ffff:10.1.2.3")).isTrue();
        assertThat(ranges.matches("::ffff:0a01:0203")).isTrue();
        assertThat(ranges.matches("2001:db8::1")).isFalse();
        assertThat(SourceRanges.parse(List.of("0.0.0.0/0")).matches("203.0.113.200")).isTrue();
    }

    @Test
    void ipv6AddressesAndBlocksMatchInEveryNotation() {
        // Verifies compressed and full notation, a block, loopback, embedded IPv4, brackets and a zone on the peer.
        // GIVEN
        SourceRanges ranges = SourceRanges.parse(List.of("2001:db8::/32", "::1", "fe80::1:2:3:4/64", "::ffff:192.0.2.0/120"));
        // WHEN / THEN
        assertThat(ranges.matches("2001:0db8:0000:0000:0000:0000:0000:0001")).isTrue();
        assertThat(ranges.matches("2001:db8:ffff::")).isTrue();
        assertThat(ranges.matches("2001:db9::1")).isFalse();
        assertThat(ranges.matches("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(ranges.matches("[::1]")).isTrue();
        assertThat(ranges.matches("fe80::99%eth0")).isTrue();
        assertThat(ranges.matches("fe80:0:0:1::99")).isFalse();
        assertThat(ranges.matches("192.0.2.200")).isTrue(); // the IPv4-mapped block is an IPv4 block
        assertThat(ranges.matches("192.0.3.1")).isFalse();
        assertThat(ranges.matches("::2")).isFalse();
    }

    @Test
    void withoutRangesEverySourceMatchesAndWithRangesAnUnreadableOneDoesNot() {
        // Verifies the empty allow-list (any source) and that a peer that is not an address literal never matches.
        assertThat(SourceRanges.parse(List.of()).matches("203.0.113.1")).isTrue();
        assertThat(SourceRanges.parse(null).matches(null)).isTrue();
        SourceRanges ranges = SourceRanges.parse(List.of("127.0.0.1"));
        assertThat(ranges.matches("localhost")).isFalse();
        assertThat(ranges.matches(null)).isFalse();
        assertThat(ranges.matches("")).isFalse();
    }

    @Test
    void anythingButAnAddressLiteralOrCidrBlockIsRefusedNamingIt() {
        // Verifies that host names are refused (never looked up), and malformed literals, prefixes and groups too.
        for (String bad : List.of("localhost", "example.com", "256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "10.0.0.0/33",
                "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8", "::/129", "1::2::3", ":::", "1:2:3:4:5:6:7:8:9", "12345::",
                "g::1", "1:2:3:4:5:6:7", "::1.2.3", "\uff11.2.3.4", "\uff11::", " ", "")) {
            assertThat(SourceRanges.valid(bad)).as(bad).isFalse();
            assertThatThrownBy(() -> SourceRanges.parse(List.of("10.0.0.1", bad))).as(bad).isInstanceOf(ThingportException.class)
                    .hasMessage("allowedSources: '" + bad + "' is not an IPv4 or IPv6 address or CIDR block (e.g. 192.0.2.7,"
                            + " 10.0.0.0/8, 2001:db8::/32)")
                    .satisfies(e -> assertThat(((ThingportException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        }
        for (String good : List.of("1.2.3.4", "0.0.0.0/0", "::", "::/0", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4",
                "::ffff:1.2.3.4/128", " 10.0.0.0/8 ")) {
            assertThat(SourceRanges.valid(good)).as(good).isTrue();
        }
    }

    @Test
    void anAllowListIsBounded() {
        // Verifies that more than 100 entries are refused.
        List<String> many = Collections.nCopies(SourceRanges.MAX_RANGES + 1, "10.0.0.1");
        assertThatThrownBy(() -> SourceRanges.parse(many)).hasMessage("allowedSources holds 101 entries, at most 100");
        assertThat(SourceRanges.parse(Collections.nCopies(SourceRanges.MAX_RANGES, "10.0.0.1")).matches("10.0.0.1")).isTrue();
    }
}

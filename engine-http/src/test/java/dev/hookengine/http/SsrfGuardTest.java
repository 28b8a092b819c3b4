package dev.hookengine.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The guard's decisions, on addresses built from bytes: nothing here resolves a name or opens a
 * connection, so public and private addresses can be judged without ever being reached.
 */
class SsrfGuardTest {

    private final SsrfGuard strict = SsrfGuard.strict();

    @ParameterizedTest(name = "{0} allowed={1}")
    @CsvSource({
        // private, CGNAT and their neighbours
        "10.0.0.1, false",
        "11.0.0.1, true",
        "172.16.5.4, false",
        "172.31.255.255, false",
        "172.15.255.255, true",
        "172.32.0.1, true",
        "192.168.1.1, false",
        "192.169.0.1, true",
        "100.64.0.1, false",
        "100.127.255.255, false",
        "100.63.255.255, true",
        "100.128.0.1, true",
        // loopback, link-local (cloud metadata), "this network", unspecified
        "127.0.0.1, false",
        "127.255.255.254, false",
        "169.254.169.254, false",
        "169.254.0.1, false",
        "169.255.0.1, true",
        "0.0.0.0, false",
        "0.1.2.3, false",
        // multicast, reserved, broadcast
        "224.0.0.1, false",
        "239.255.255.255, false",
        "223.255.255.255, true",
        "240.0.0.1, false",
        "255.255.255.255, false",
        // benchmarking, documentation, protocol assignments
        "198.18.0.1, false",
        "198.19.255.255, false",
        "198.20.0.1, true",
        "192.0.2.1, false",
        "198.51.100.7, false",
        "203.0.113.9, false",
        "192.0.0.170, false",
        // public IPv4 (decisions only, never connected to)
        "8.8.8.8, true",
        "1.1.1.1, true",
        "93.184.216.34, true",
        // IPv6 special ranges
        "::, false",
        "::1, false",
        "fc00::1, false",
        "fd12::1, false",
        "fe80::1, false",
        "fec0::1, false",
        "ff02::1, false",
        "2001:db8::1, false",
        "64:ff9b:1::1, false",
        // IPv6 forms that carry an IPv4 address are judged by that address
        "::ffff:10.0.0.1, false",
        "::ffff:169.254.169.254, false",
        "::ffff:127.0.0.1, false",
        "::ffff:8.8.8.8, true",
        "::a00:1, false",
        "::7f00:1, false",
        "::808:808, true",
        "64:ff9b::a00:1, false",
        "64:ff9b::7f00:1, false",
        "64:ff9b::808:808, true",
        "2002:a00:1::, false",
        "2002:a9fe:a9fe::1, false",
        "2002:808:808::, true",
        // Teredo: the client address 127.0.0.1 is stored inverted (80ff:fffe)
        "2001:0:4136:e378:8000:63bf:80ff:fffe, false",
        "2001:0:4136:e378:8000:63bf:f7f7:f7f7, true",
        // public IPv6
        "2606:4700::1111, true",
        "2a00:1450:4001::1, true",
    })
    void decidesOnTheAddressAlone(String text, boolean allowed) throws Exception {
        byte[] bytes = bytes(text);

        InetAddress address = InetAddress.getByAddress(bytes);
        assertThat(strict.isAllowed(address)).as("%s (%s)", text, address).isEqualTo(allowed);
        assertThat(strict.refusal(address).isPresent()).isEqualTo(!allowed);
        if (bytes.length == 16) {
            // InetAddress turns ::ffff:a.b.c.d into an Inet4Address; an Inet6Address built
            // directly keeps the IPv6 form, and must be judged the same.
            Inet6Address v6 = Inet6Address.getByAddress(null, bytes, -1);
            assertThat(strict.isAllowed(v6)).as("%s as Inet6Address", text).isEqualTo(allowed);
        }
    }

    @Test
    void refusalsSayWhichRangeAndForEmbeddedFormsWhichAddressInside() throws Exception {
        assertThat(strict.refusal(InetAddress.getByAddress(bytes("169.254.169.254"))))
                .hasValueSatisfying(
                        why -> assertThat(why).contains("link-local").contains("169.254.0.0/16"));
        assertThat(strict.refusal(Inet6Address.getByAddress(null, bytes("::ffff:10.0.0.1"), -1)))
                .hasValueSatisfying(
                        why -> assertThat(why).contains("IPv4-mapped").contains("private 10.0.0.0/8"));
        assertThat(strict.refusal(InetAddress.getByAddress(bytes("64:ff9b::a00:1"))))
                .hasValueSatisfying(why -> assertThat(why).contains("NAT64").contains("10.0.0.0/8"));
        assertThat(strict.refusal(InetAddress.getByAddress(bytes("8.8.8.8")))).isEmpty();
    }

    @Test
    void theAllowListOverridesRefusalsAndNothingElse() throws Exception {
        SsrfGuard guard = strict.allowing("127.0.0.1/32", "::1/128", "10.20.0.0/16");

        assertThat(guard.isAllowed(InetAddress.getByAddress(bytes("127.0.0.1"))))
                .isTrue();
        assertThat(guard.isAllowed(InetAddress.getByAddress(bytes("127.0.0.2"))))
                .isFalse();
        assertThat(guard.isAllowed(InetAddress.getByAddress(bytes("::1")))).isTrue();
        assertThat(guard.isAllowed(InetAddress.getByAddress(bytes("10.20.255.1"))))
                .isTrue();
        assertThat(guard.isAllowed(InetAddress.getByAddress(bytes("10.21.0.1"))))
                .isFalse();
        assertThat(guard.isAllowed(InetAddress.getByAddress(bytes("0.0.0.0")))).isFalse();
        assertThat(guard.isAllowed(InetAddress.getByAddress(bytes("169.254.169.254"))))
                .isFalse();
        // the IPv6 form of an allowed IPv4 address is allowed like it
        assertThat(guard.isAllowed(Inet6Address.getByAddress(null, bytes("::ffff:127.0.0.1"), -1)))
                .isTrue();
        // the original is unchanged: guards are immutable
        assertThat(strict.isAllowed(InetAddress.getByAddress(bytes("127.0.0.1"))))
                .isFalse();
    }

    @Test
    void anAllowListEntryInIpv4MappedFormAllowsTheIpv4Address() throws Exception {
        SsrfGuard guard = strict.allowing("::ffff:127.0.0.0/104");

        assertThat(guard.isAllowed(InetAddress.getByAddress(bytes("127.0.0.9"))))
                .isTrue();
        assertThat(guard.isAllowed(InetAddress.getByAddress(bytes("127.255.0.1"))))
                .isTrue();
        assertThat(guard.isAllowed(InetAddress.getByAddress(bytes("128.0.0.1"))))
                .isTrue(); // public anyway
        assertThat(guard.isAllowed(InetAddress.getByAddress(bytes("10.0.0.1")))).isFalse();
    }

    @Test
    void theAllowListTakesOnlyIpLiteralsWithValidPrefixes() {
        for (String bad : List.of(
                "localhost",
                "example.com",
                "10.0.0.0/33",
                "::1/129",
                "1.2.3",
                "127.1",
                "10.0.0.0/",
                "10.0.0.0/x",
                "256.0.0.1",
                "::g")) {
            assertThatThrownBy(() -> strict.allowing(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(strict.allowing("192.168.1.10").isAllowed(addressOf("192.168.1.10")))
                .isTrue();
        assertThat(strict.allowing("192.168.1.10").isAllowed(addressOf("192.168.1.11")))
                .isFalse();
        assertThat(strict.allowing("0.0.0.0/0").isAllowed(addressOf("10.0.0.1")))
                .isTrue();
    }

    @Test
    void permissiveAllowsEverything() throws Exception {
        for (String text : List.of("127.0.0.1", "169.254.169.254", "::1", "10.0.0.1", "8.8.8.8")) {
            assertThat(SsrfGuard.permissive().isAllowed(InetAddress.getByAddress(bytes(text))))
                    .isTrue();
        }
    }

    private static InetAddress addressOf(String text) {
        try {
            return InetAddress.getByAddress(bytes(text));
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Address text to bytes, by hand: no resolver involved. */
    static byte[] bytes(String text) {
        if (!text.contains(":")) {
            byte[] v4 = SsrfGuard.parseDottedQuad(text);
            assertThat(v4).as(text).isNotNull();
            return v4;
        }
        List<Integer> groups = new ArrayList<>();
        int gap = -1;
        String[] halves = text.split("::", -1);
        assertThat(halves.length).as(text).isLessThanOrEqualTo(2);
        List<Integer> head = groups(halves[0]);
        List<Integer> tail = halves.length == 2 ? groups(halves[1]) : List.of();
        groups.addAll(head);
        if (halves.length == 2) {
            gap = head.size();
            for (int i = head.size() + tail.size(); i < 8; i++) {
                groups.add(0);
            }
        }
        groups.addAll(tail);
        assertThat(groups).as(text + " (gap at " + gap + ")").hasSize(8);
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[2 * i] = (byte) (groups.get(i) >> 8);
            bytes[2 * i + 1] = (byte) (int) groups.get(i);
        }
        return bytes;
    }

    private static List<Integer> groups(String part) {
        List<Integer> groups = new ArrayList<>();
        if (part.isEmpty()) {
            return groups;
        }
        for (String group : part.split(":")) {
            if (group.contains(".")) {
                byte[] v4 = SsrfGuard.parseDottedQuad(group);
                groups.add(((v4[0] & 0xff) << 8) | (v4[1] & 0xff));
                groups.add(((v4[2] & 0xff) << 8) | (v4[3] & 0xff));
            } else {
                groups.add(Integer.parseInt(group, 16));
            }
        }
        return groups;
    }

    @Test
    void theTestsOwnParserBuildsTheExpectedAddresses() throws Exception {
        assertThat(InetAddress.getByAddress(bytes("::ffff:10.0.0.1")))
                .isInstanceOf(Inet4Address.class)
                .extracting(InetAddress::getHostAddress)
                .isEqualTo("10.0.0.1");
        assertThat(InetAddress.getByAddress(bytes("2002:a00:1::")).getHostAddress())
                .isEqualTo("2002:a00:1:0:0:0:0:0");
        assertThat(InetAddress.getByAddress(bytes("64:ff9b::a00:1")).getHostAddress())
                .isEqualTo("64:ff9b:0:0:0:0:a00:1");
    }
}

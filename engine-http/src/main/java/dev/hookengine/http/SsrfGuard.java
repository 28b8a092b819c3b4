package dev.hookengine.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether the transport may connect to an address. Webhook URLs are chosen by tenants, so
 * without this guard any tenant could make the engine call the cloud metadata service
 * (169.254.169.254), an admin port on localhost or a database in the private network, and read the
 * answer back from the event log.
 *
 * <p>{@link #strict()} refuses every address that is not plainly a public unicast address: loopback,
 * private (RFC 1918), link-local (which holds the metadata service), CGNAT, unique-local,
 * multicast, unspecified, broadcast, "this network", reserved, benchmarking and documentation
 * ranges, and the IPv6 forms that carry an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4,
 * Teredo) when the IPv4 address inside is refused. An explicit allow-list of CIDR blocks, given with
 * {@link #allowing}, overrides every refusal: tests allow {@code 127.0.0.1/32}, an operator may allow
 * an internal range on purpose.
 *
 * <p>The guard only decides; it never resolves a name. {@link JettyHttpTransport} asks it about every
 * address a host name resolves to, at the moment a connection is made, and about IP literals in URLs
 * before anything else happens. Instances are immutable and thread-safe.
 */
public final class SsrfGuard {

    private static final List<Block> REFUSED_V4 = List.of(
            Block.parse("0.0.0.0/8", "\"this network\""),
            Block.parse("10.0.0.0/8", "private"),
            Block.parse("100.64.0.0/10", "carrier-grade NAT"),
            Block.parse("127.0.0.0/8", "loopback"),
            Block.parse("169.254.0.0/16", "link-local (cloud metadata)"),
            Block.parse("172.16.0.0/12", "private"),
            Block.parse("192.0.0.0/24", "IETF protocol assignments"),
            Block.parse("192.0.2.0/24", "documentation"),
            Block.parse("192.88.99.0/24", "6to4 relay anycast"),
            Block.parse("192.168.0.0/16", "private"),
            Block.parse("198.18.0.0/15", "benchmarking"),
            Block.parse("198.51.100.0/24", "documentation"),
            Block.parse("203.0.113.0/24", "documentation"),
            Block.parse("224.0.0.0/4", "multicast"),
            Block.parse("240.0.0.0/4", "reserved or broadcast"));

    private static final List<Block> REFUSED_V6 = List.of(
            Block.parse("::/128", "unspecified"),
            Block.parse("::1/128", "loopback"),
            Block.parse("64:ff9b:1::/48", "local-use NAT64"),
            Block.parse("100::/64", "discard-only"),
            Block.parse("2001:2::/48", "benchmarking"),
            Block.parse("2001:db8::/32", "documentation"),
            Block.parse("3fff::/20", "documentation"),
            Block.parse("fc00::/7", "unique-local"),
            Block.parse("fe80::/10", "link-local"),
            Block.parse("fec0::/10", "site-local"),
            Block.parse("ff00::/8", "multicast"));

    private static final Block IPV4_MAPPED = Block.parse("::ffff:0:0/96", "IPv4-mapped");
    private static final Block IPV4_COMPATIBLE = Block.parse("::/96", "IPv4-compatible");
    private static final Block NAT64 = Block.parse("64:ff9b::/96", "NAT64");
    private static final Block SIX_TO_FOUR = Block.parse("2002::/16", "6to4");
    private static final Block TEREDO = Block.parse("2001::/32", "Teredo");

    private static final SsrfGuard STRICT = new SsrfGuard(false, List.of());
    private static final SsrfGuard PERMISSIVE = new SsrfGuard(true, List.of());

    private final boolean permitAll;
    private final List<Block> allowed;

    private SsrfGuard(boolean permitAll, List<Block> allowed) {
        this.permitAll = permitAll;
        this.allowed = List.copyOf(allowed);
    }

    /** The default: refuses every special-purpose range, allows nothing extra. */
    public static SsrfGuard strict() {
        return STRICT;
    }

    /**
     * Allows every address. Only for deployments whose network already confines egress, or tests:
     * it hands tenants the engine's network position.
     */
    public static SsrfGuard permissive() {
        return PERMISSIVE;
    }

    /**
     * This guard with {@code cidrs} allowed in addition, each an IP literal with an optional prefix
     * length ({@code "127.0.0.1/32"}, {@code "10.20.0.0/16"}, {@code "::1/128"}, {@code "::1"}).
     * Names are not accepted: an allow-list must not depend on DNS.
     *
     * @throws IllegalArgumentException when an entry is not an IP literal with a valid prefix
     */
    public SsrfGuard allowing(String... cidrs) {
        List<Block> more = new ArrayList<>(allowed);
        for (String cidr : cidrs) {
            Block block = Block.parse(Objects.requireNonNull(cidr, "cidr"), "allowed");
            // Java turns ::ffff:a.b.c.d into the IPv4 address it stands for: allow it in that form.
            more.add(IPV4_MAPPED.contains(block.network()) && block.bits() >= 96 ? block.unmapped() : block);
        }
        return new SsrfGuard(permitAll, more);
    }

    /** Whether the transport may connect to {@code address}. */
    public boolean isAllowed(InetAddress address) {
        return refusal(address).isEmpty();
    }

    /**
     * Why {@code address} is refused ("loopback 127.0.0.0/8", "IPv4-mapped ::ffff:0:0/96 of
     * private 10.0.0.0/8"), or empty when it is allowed.
     */
    public Optional<String> refusal(InetAddress address) {
        Objects.requireNonNull(address, "address");
        return refusal(address.getAddress());
    }

    private Optional<String> refusal(byte[] address) {
        if (permitAll || matchesAny(allowed, address)) {
            return Optional.empty();
        }
        if (address.length == 4) {
            return firstMatch(REFUSED_V4, address).map(Block::describe);
        }
        // IPv6 forms that reach an IPv4 address: judge the IPv4 address inside.
        for (Block embedding : List.of(IPV4_MAPPED, NAT64, SIX_TO_FOUR, TEREDO)) {
            if (embedding.contains(address)) {
                byte[] inner = embeddedIpv4(embedding, address);
                return refusal(inner).map(why -> embedding.describe() + " of " + why);
            }
        }
        Optional<String> refused = firstMatch(REFUSED_V6, address).map(Block::describe);
        if (refused.isPresent()) {
            return refused;
        }
        if (IPV4_COMPATIBLE.contains(address)) {
            byte[] inner = Arrays.copyOfRange(address, 12, 16);
            return refusal(inner).map(why -> IPV4_COMPATIBLE.describe() + " of " + why);
        }
        return Optional.empty();
    }

    private static byte[] embeddedIpv4(Block embedding, byte[] address) {
        if (embedding == SIX_TO_FOUR) {
            return Arrays.copyOfRange(address, 2, 6);
        }
        byte[] inner = Arrays.copyOfRange(address, 12, 16);
        if (embedding == TEREDO) {
            // RFC 4380: the client's public address is stored with every bit inverted.
            for (int i = 0; i < inner.length; i++) {
                inner[i] = (byte) ~inner[i];
            }
        }
        return inner;
    }

    private static boolean matchesAny(List<Block> blocks, byte[] address) {
        return firstMatch(blocks, address).isPresent();
    }

    private static Optional<Block> firstMatch(List<Block> blocks, byte[] address) {
        for (Block block : blocks) {
            if (block.contains(address)) {
                return Optional.of(block);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        if (permitAll) {
            return "SsrfGuard[permissive]";
        }
        return "SsrfGuard[strict"
                + (allowed.isEmpty()
                        ? ""
                        : ", allowing " + allowed.stream().map(Block::cidr).toList()) + "]";
    }

    /** Parses a dotted-quad IPv4 literal, or returns {@code null}: never a DNS lookup. */
    static byte[] parseDottedQuad(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    /** A CIDR block; {@code network} holds the address bytes, of which the first {@code bits} count. */
    private record Block(byte[] network, int bits, String cidr, String label) {

        static Block parse(String text, String label) {
            String trimmed = text.trim();
            int slash = trimmed.indexOf('/');
            String addressText = slash < 0 ? trimmed : trimmed.substring(0, slash);
            byte[] network = parseLiteral(addressText, text);
            int bits = network.length * 8;
            if (slash >= 0) {
                String prefix = trimmed.substring(slash + 1);
                if (prefix.isEmpty() || prefix.length() > 3 || !prefix.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw new IllegalArgumentException("not a CIDR block: '" + text + "'");
                }
                bits = Integer.parseInt(prefix);
                if (bits > network.length * 8) {
                    throw new IllegalArgumentException("prefix longer than the address: '" + text + "'");
                }
            }
            return new Block(network, bits, trimmed.toLowerCase(Locale.ROOT), label);
        }

        private static byte[] parseLiteral(String addressText, String whole) {
            if (addressText.indexOf(':') >= 0) {
                // A text with a colon is parsed as an IPv6 literal or rejected; InetAddress never
                // looks such a text up in DNS.
                try {
                    InetAddress parsed = InetAddress.getByName(addressText);
                    if (parsed instanceof Inet4Address) {
                        // ::ffff:a.b.c.d comes back as IPv4; keep the IPv6 form the operator wrote.
                        byte[] mapped = new byte[16];
                        mapped[10] = (byte) 0xff;
                        mapped[11] = (byte) 0xff;
                        System.arraycopy(parsed.getAddress(), 0, mapped, 12, 4);
                        return mapped;
                    }
                    if (parsed instanceof Inet6Address) {
                        return parsed.getAddress();
                    }
                } catch (UnknownHostException e) {
                    // fall through
                }
                throw new IllegalArgumentException("not an IP address: '" + whole + "'");
            }
            byte[] v4 = parseDottedQuad(addressText);
            if (v4 == null) {
                throw new IllegalArgumentException("not an IP address: '" + whole + "'");
            }
            return v4;
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }

        Block unmapped() {
            return new Block(Arrays.copyOfRange(network, 12, 16), bits - 96, cidr, label);
        }

        String describe() {
            return label + " " + cidr;
        }
    }
}

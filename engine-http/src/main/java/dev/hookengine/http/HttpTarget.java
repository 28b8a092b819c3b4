package dev.hookengine.http;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where a request goes, read from its URL before anything touches the network.
 *
 * <p>Numeric hosts are read the way browsers read them (WHATWG URL standard, "IPv4 parser"): a host
 * whose last label is a number is an IPv4 address, in any of the old forms ({@code 127.1},
 * {@code 2130706433}, {@code 0x7f.1}, {@code 0177.0.0.1}), or the URL is invalid. Such a host is
 * rewritten to its dotted-quad form before Jetty sees it, so the address the guard judged is exactly
 * the address Jetty connects to; left alone, {@code java.net.URI} would not even report a host for
 * {@code 127.1}, and the platform resolver would read {@code 0177.0.0.1} differently from a browser.
 *
 * @param uri     the URL to hand Jetty: scheme, host (rewritten if numeric), port, raw path and query
 * @param host    the host as Jetty sees it, for messages
 * @param literal the address when the host is an IP literal, else {@code null} (a name, resolved later)
 */
record HttpTarget(URI uri, String host, InetAddress literal) {

    /** The URL cannot be sent; the message says why without repeating the URL (it may hold secrets). */
    static final class InvalidUrlException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidUrlException(String message) {
            super(message, null, false, false);
        }
    }

    static HttpTarget parse(URI url) throws InvalidUrlException {
        if (!url.isAbsolute() || url.isOpaque()) {
            throw new InvalidUrlException("not an absolute http(s) URL");
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidUrlException("scheme '" + scheme + "' is not http or https");
        }
        String authority = url.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw new InvalidUrlException("the URL has no host");
        }
        if (url.getRawUserInfo() != null || authority.indexOf('@') >= 0) {
            // Jetty would drop it silently; credentials belong in the config's auth.
            throw new InvalidUrlException("user info in the URL is not supported");
        }

        String host;
        int port;
        if (url.getHost() != null) {
            host = url.getHost();
            port = url.getPort();
        } else {
            // java.net.URI gives up on hosts like "127.1" or "0x7f.1": split the authority ourselves.
            int colon = authority.lastIndexOf(':');
            if (authority.startsWith("[") || colon < 0) {
                host = authority;
                port = -1;
            } else {
                host = authority.substring(0, colon);
                port = parsePort(authority.substring(colon + 1));
            }
        }
        if (port == 0 || port > 65_535) {
            throw new InvalidUrlException("port out of range");
        }
        if (host.isEmpty()) {
            throw new InvalidUrlException("the URL has no host");
        }

        if (host.startsWith("[")) {
            return new HttpTarget(rebuild(url, scheme, host, port), host, parseIpv6(host));
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        String[] labels = name.split("\\.", -1);
        if (labels.length > 0 && isNumber(labels[labels.length - 1])) {
            byte[] bytes = parseIpv4(labels);
            String dotted =
                    (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
            try {
                return new HttpTarget(rebuild(url, scheme, dotted, port), dotted, InetAddress.getByAddress(bytes));
            } catch (UnknownHostException e) {
                throw new AssertionError("four bytes are an address", e);
            }
        }
        if (url.getHost() == null) {
            throw new InvalidUrlException("'" + host + "' is not a valid host name");
        }
        return new HttpTarget(rebuild(url, scheme, host, port), host, null);
    }

    private static int parsePort(String text) throws InvalidUrlException {
        if (text.isEmpty()) {
            return -1;
        }
        if (text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidUrlException("port is not a number");
        }
        return Integer.parseInt(text);
    }

    private static InetAddress parseIpv6(String bracketed) throws InvalidUrlException {
        if (!bracketed.endsWith("]") || bracketed.indexOf(':') < 0) {
            throw new InvalidUrlException("malformed IPv6 address");
        }
        try {
            // With a colon inside, InetAddress parses a literal or fails; it never asks DNS.
            InetAddress address = InetAddress.getByName(bracketed.substring(1, bracketed.length() - 1));
            if (address instanceof Inet6Address v6 && v6.getScopeId() != 0) {
                throw new InvalidUrlException("IPv6 zone ids are not supported");
            }
            return address;
        } catch (UnknownHostException e) {
            throw new InvalidUrlException("malformed IPv6 address");
        }
    }

    /** WHATWG "ends in a number": the last label is decimal digits, or 0x with hex digits. */
    private static boolean isNumber(String label) {
        if (label.isEmpty()) {
            return false;
        }
        if (label.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return true;
        }
        return (label.startsWith("0x")) && label.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    /** WHATWG IPv4 parser: up to four parts, each decimal, 0x hex or 0-led octal; the last fills the rest. */
    private static byte[] parseIpv4(String[] labels) throws InvalidUrlException {
        if (labels.length > 4) {
            throw new InvalidUrlException("malformed IPv4 address");
        }
        long[] numbers = new long[labels.length];
        for (int i = 0; i < labels.length; i++) {
            numbers[i] = parseIpv4Number(labels[i]);
        }
        for (int i = 0; i < numbers.length - 1; i++) {
            if (numbers[i] > 255) {
                throw new InvalidUrlException("malformed IPv4 address");
            }
        }
        long last = numbers[numbers.length - 1];
        if (last >= 1L << (8 * (5 - numbers.length))) {
            throw new InvalidUrlException("malformed IPv4 address");
        }
        long value = last;
        for (int i = 0; i < numbers.length - 1; i++) {
            value += numbers[i] << (8 * (3 - i));
        }
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    private static long parseIpv4Number(String part) throws InvalidUrlException {
        if (part.isEmpty()) {
            throw new InvalidUrlException("malformed IPv4 address");
        }
        int radix = 10;
        String digits = part;
        if (part.startsWith("0x")) {
            radix = 16;
            digits = part.substring(2);
        } else if (part.length() > 1 && part.startsWith("0")) {
            radix = 8;
            digits = part.substring(1);
        }
        if (digits.isEmpty()) {
            return 0;
        }
        if (digits.length() > 32) {
            throw new InvalidUrlException("malformed IPv4 address");
        }
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), radix) < 0) {
                throw new InvalidUrlException("malformed IPv4 address");
            }
        }
        try {
            long value = Long.parseLong(digits, radix);
            if (value > 0xffff_ffffL) {
                throw new InvalidUrlException("malformed IPv4 address");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new InvalidUrlException("malformed IPv4 address");
        }
    }

    /** The URL Jetty gets: no fragment (never sent), the host in the form that was judged. */
    private static URI rebuild(URI url, String scheme, String host, int port) throws InvalidUrlException {
        if (host.equals(url.getHost()) && scheme.equals(url.getScheme()) && url.getRawFragment() == null) {
            return url;
        }
        StringBuilder text = new StringBuilder(scheme).append("://").append(host);
        if (port >= 0) {
            text.append(':').append(port);
        }
        text.append(url.getRawPath() == null ? "" : url.getRawPath());
        if (url.getRawQuery() != null) {
            text.append('?').append(url.getRawQuery());
        }
        try {
            return new URI(text.toString());
        } catch (java.net.URISyntaxException e) {
            throw new InvalidUrlException("malformed URL");
        }
    }
}

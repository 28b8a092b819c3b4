package dev.hookengine.server;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Looks for secret values in text a test captured: a process's log, answers, a metrics scrape. A
 * secret is looked for in each form it travels in, not only as typed: URL-encoded (an OAuth form
 * body), base64 (a Basic {@code Authorization} header, a header dump), and for Basic credentials the
 * encoded {@code user:password} pair itself.
 */
final class SecretScan {

    /** One place a secret was found. */
    record Finding(String secret, String channel, String excerpt) {
        @Override
        public String toString() {
            return secret + " in " + channel + ": ..." + excerpt + "...";
        }
    }

    /** Shorter values would match by chance; the test's secrets are random and long. */
    private static final int SHORTEST_SECRET = 12;

    private static final int EXCERPT = 60;

    /** Each form looked for, to what it is the form of. */
    private final Map<String, String> forms = new LinkedHashMap<>();

    /** Looks for {@code value}, named {@code name} in findings, as typed, URL-encoded and base64. */
    SecretScan secret(String name, String value) {
        if (value.length() < SHORTEST_SECRET) {
            throw new IllegalArgumentException(name + " is too short to look for without false alarms: " + value);
        }
        forms.putIfAbsent(value, name);
        forms.putIfAbsent(URLEncoder.encode(value, StandardCharsets.UTF_8), name + " (URL-encoded)");
        forms.putIfAbsent(base64(value), name + " (base64)");
        return this;
    }

    /** Looks for the password, and for the pair as a Basic {@code Authorization} header carries it. */
    SecretScan basicCredentials(String name, String username, String password) {
        secret(name, password);
        forms.putIfAbsent(base64(username + ":" + password), name + " (as a Basic header)");
        return this;
    }

    /** How many secrets and forms are looked for: a scan of nothing would pass vacuously. */
    int formCount() {
        return forms.size();
    }

    /** Every form of every secret in each channel (name to text). */
    List<Finding> findIn(Map<String, String> channels) {
        List<Finding> findings = new ArrayList<>();
        channels.forEach((channel, text) -> forms.forEach((form, secret) -> {
            int at = text.indexOf(form);
            if (at >= 0) {
                int from = Math.max(0, at - EXCERPT);
                int to = Math.min(text.length(), at + form.length() + EXCERPT);
                findings.add(
                        new Finding(secret, channel, text.substring(from, to).replace('\n', ' ')));
            }
        }));
        return findings;
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}

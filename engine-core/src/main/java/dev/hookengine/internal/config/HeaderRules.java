package dev.hookengine.internal.config;

import java.util.Locale;
import java.util.Set;

/**
 * Which request headers a config may set. The one list used both to reject a config at save time
 * and to strip headers at send time.
 *
 * <p>Forbidden are the hop-by-hop headers and those that frame the message (a custom
 * {@code Content-Length} or {@code Transfer-Encoding} would let a tenant smuggle requests), those a
 * proxy or the transport owns, the Standard Webhooks signature headers, and {@code Authorization}
 * unless it comes from the config's own auth.
 */
public final class HeaderRules {

    private static final Set<String> FORBIDDEN = Set.of(
            "host",
            "content-length",
            "content-type",
            "transfer-encoding",
            "connection",
            "keep-alive",
            "upgrade",
            "te",
            "trailer",
            "expect",
            "forwarded",
            "via",
            "authorization",
            "webhook-id",
            "webhook-timestamp",
            "webhook-signature");

    private static final String[] FORBIDDEN_PREFIXES = {"proxy-", "x-forwarded-", "sec-"};

    private HeaderRules() {}

    /** Whether {@code name} is a syntactically valid header name (an RFC 9110 token). */
    public static boolean isValidName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean tchar = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code value} may be sent as a header value: no control characters but tab (none of
     * U+0000 to U+001F, U+007F, nor the C1 controls U+0080 to U+009F, which some receivers read as line
     * ends). The one rule for every text that is, or may end up in, a header: custom header values,
     * auth fields, OAuth parameters and organization variables, checked when they are saved and again
     * on the resolved values before anything is sent.
     */
    public static boolean isValidValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && c != '\t') {
                return false;
            }
        }
        return true;
    }

    /** Whether a config's custom headers may not set {@code name}. */
    public static boolean isForbidden(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (FORBIDDEN.contains(lower)) {
            return true;
        }
        for (String prefix : FORBIDDEN_PREFIXES) {
            if (lower.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an API key may be sent in header {@code name}: the forbidden headers, except
     * {@code Authorization}, which is what many APIs expect a key in.
     */
    public static boolean isAllowedForApiKey(String name) {
        return "authorization".equalsIgnoreCase(name) || !isForbidden(name);
    }
}

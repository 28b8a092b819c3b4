package dev.hookengine.internal.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.DomainEvent;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Event Catalog versions: which form of an event a config pinned at an {@code eventVersion} gets.
 *
 * <p>The event shape read (see the README, "Event versions"): a catalog event is one whose name starts
 * with {@value #CATALOG_PREFIX} (the spec: {@code eventVersion} is "only applicable" to those). It
 * may carry {@code "_event_version": "MAJOR.MINOR"}, the version it was published in, and
 * {@code "_downgrades": [{"to": "1.0", ...}, ...]}: each entry is the whole event as it reads in the
 * older version {@code to}, its properties in place of the event's ({@code metadata} kept from the
 * event when the entry has none).
 *
 * <ul>
 *   <li>Events of other names, and catalog events without {@code _event_version}, are delivered as
 *       they are, whatever the pin.</li>
 *   <li>An event of the pinned version (compared as numbers: {@code 1.10} is newer than {@code 1.9},
 *       {@code 1.0} equals {@code 01.0}) is delivered as it is.</li>
 *   <li>A newer event is delivered as its {@code _downgrades} entry whose {@code to} is the pin.</li>
 *   <li>With no such entry, an event older than the pin (events are downgraded, never upgraded), or a
 *       {@code _event_version} that is not MAJOR.MINOR, the dispatch fails with
 *       {@link dev.hookengine.OutcomeCode#EVENT_VERSION_UNAVAILABLE} and a message naming both
 *       versions.</li>
 * </ul>
 * What is delivered never carries {@code _downgrades} (the other versions' forms are the catalog's,
 * not the receiver's), and carries {@code _event_version} set to the version it is in, so a receiver
 * always knows which shape it got.
 */
final class EventVersions {

    static final String CATALOG_PREFIX = "event_";
    static final String VERSION = "_event_version";
    static final String DOWNGRADES = "_downgrades";

    private static final Pattern MAJOR_MINOR = Pattern.compile("^\\d{1,9}\\.\\d{1,9}$");

    private EventVersions() {}

    /** A MAJOR.MINOR version, ordered by its numbers. */
    record Version(int major, int minor) implements Comparable<Version> {

        /** The version {@code text} names; empty when it is not MAJOR.MINOR. */
        static Optional<Version> parse(String text) {
            if (text == null || !MAJOR_MINOR.matcher(text).matches()) {
                return Optional.empty();
            }
            int dot = text.indexOf('.');
            return Optional.of(
                    new Version(Integer.parseInt(text.substring(0, dot)), Integer.parseInt(text.substring(dot + 1))));
        }

        @Override
        public int compareTo(Version other) {
            return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
        }
    }

    /** The event's form cannot be delivered to the config's pin; the message names both versions. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    /**
     * The version a config without a pin takes from {@code event} on its first delivery: the catalog
     * event's {@code _event_version} when it is MAJOR.MINOR; empty otherwise (nothing is pinned).
     */
    static Optional<String> pinToTake(DomainEvent event) {
        if (!isCatalogEvent(event)) {
            return Optional.empty();
        }
        JsonNode stamp = event.body().get(VERSION);
        return stamp != null
                        && stamp.isTextual()
                        && Version.parse(stamp.textValue()).isPresent()
                ? Optional.of(stamp.textValue())
                : Optional.empty();
    }

    /**
     * The body of {@code event} to build the payload of a config pinned at {@code pin} from.
     *
     * @param pin the config's {@code eventVersion}, or {@code null}
     * @throws Unavailable when the event has no form for the pin
     */
    static ObjectNode bodyFor(DomainEvent event, String pin) {
        ObjectNode body = event.body();
        if (!isCatalogEvent(event) || !body.has(VERSION)) {
            return body;
        }
        JsonNode stamp = body.get(VERSION);
        String stampText = stamp.isTextual() ? stamp.textValue() : stamp.toString();
        Version version = Version.parse(stamp.isTextual() ? stampText : null)
                .orElseThrow(() ->
                        new Unavailable("the event's " + VERSION + " " + stamp + " is not MAJOR.MINOR (such as 1.0)"
                                + (pin == null ? "" : "; the config is pinned at eventVersion " + pin)));
        if (pin == null) {
            return current(body, stampText);
        }
        Version pinned = Version.parse(pin)
                .orElseThrow(() -> new Unavailable("the config's eventVersion '" + pin
                        + "' is not MAJOR.MINOR; the event is version " + stampText));
        int order = version.compareTo(pinned);
        if (order == 0) {
            return current(body, stampText);
        }
        if (order < 0) {
            throw new Unavailable("the event is version " + stampText + ", older than the config's pinned eventVersion "
                    + pin + ": events are downgraded to a pin, never upgraded");
        }
        JsonNode downgrades = body.get(DOWNGRADES);
        if (downgrades != null && downgrades.isArray()) {
            for (JsonNode entry : downgrades) {
                JsonNode to = entry.get("to");
                if (entry instanceof ObjectNode form
                        && to != null
                        && to.isTextual()
                        && Version.parse(to.textValue()).filter(pinned::equals).isPresent()) {
                    return downgraded(body, form, to.textValue());
                }
            }
        }
        throw new Unavailable("the event is version " + stampText + " and has no " + DOWNGRADES
                + " entry to the config's pinned eventVersion " + pin);
    }

    private static boolean isCatalogEvent(DomainEvent event) {
        return event.eventName().startsWith(CATALOG_PREFIX);
    }

    /** The event as it is, without the other versions' forms. */
    private static ObjectNode current(ObjectNode body, String version) {
        if (!body.has(DOWNGRADES)) {
            return body;
        }
        ObjectNode copy = body.deepCopy();
        copy.remove(DOWNGRADES);
        copy.put(VERSION, version);
        return copy;
    }

    private static ObjectNode downgraded(ObjectNode body, ObjectNode form, String version) {
        ObjectNode copy = form.deepCopy();
        copy.remove("to");
        copy.remove(DOWNGRADES);
        if (!copy.has("metadata") && body.has("metadata")) {
            copy.set("metadata", body.get("metadata"));
        }
        copy.put(VERSION, version);
        return copy;
    }
}

package dev.hookengine.condition;

/**
 * Whether a config's filters let an event through, and if not, why.
 *
 * @param matched whether the event passes the legacy {@code filter} and {@code filterConditions}
 * @param reason  for a non-match, which part did not hold, in words a person reads in the event log;
 *                {@code null} for a match
 */
public record Verdict(boolean matched, String reason) {

    /** The event passes. */
    public static final Verdict MATCHED = new Verdict(true, null);

    /** The event does not pass, because of {@code reason}. */
    public static Verdict skipped(String reason) {
        return new Verdict(false, reason);
    }
}

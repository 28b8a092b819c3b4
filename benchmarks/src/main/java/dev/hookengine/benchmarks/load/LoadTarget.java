package dev.hookengine.benchmarks.load;

import java.util.ArrayList;
import java.util.List;

/**
 * One webhook config of a load run: its organization, the event name only it subscribes to, and
 * the path it delivers to on the receiver. Event {@code seq} goes to target {@code seq % targets}, so
 * every event makes exactly one delivery.
 */
record LoadTarget(String orgId, String eventName, String name, String path) {

    /** {@code configs} targets spread round-robin over {@code orgs} organizations. */
    static List<LoadTarget> plan(int configs, int orgs) {
        List<LoadTarget> targets = new ArrayList<>(configs);
        for (int i = 0; i < configs; i++) {
            targets.add(new LoadTarget("load-org-" + (i % orgs), "load.event." + i, "load config " + i, "/hooks/" + i));
        }
        return List.copyOf(targets);
    }
}

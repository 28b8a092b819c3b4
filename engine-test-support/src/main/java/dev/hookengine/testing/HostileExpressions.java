package dev.hookengine.testing;

import java.util.List;

/** JSONata sources that attack the engine rather than shape a payload, shared by the tests that refuse them. */
public final class HostileExpressions {

    private HostileExpressions() {}

    /**
     * Sources nested about a thousand levels deep, on which JSONata's recursive parser overflowed its
     * stack (issue 18); each under 16 KiB of JSON, so that they fit the route tests' small bodies.
     */
    public static List<String> nestedTooDeeply() {
        int n = 1_000;
        return List.of(
                "(".repeat(n) + "1" + ")".repeat(n),
                "[".repeat(n) + "1" + "]".repeat(n),
                "$not(".repeat(n) + "true" + ")".repeat(n),
                "a" + ".a".repeat(5_000),
                "-".repeat(n) + "1");
    }
}

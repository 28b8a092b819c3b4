package dev.hookengine.condition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookengine.model.ConditionOperation;
import dev.hookengine.model.Filter;
import dev.hookengine.model.LogicalOperator;
import dev.hookengine.model.WebhookCondition;
import dev.hookengine.model.WebhookConditionGroup;
import dev.hookengine.transform.ExpressionException;
import dev.hookengine.transform.ExpressionLimits;
import dev.hookengine.transform.JsonataExpression;
import dev.hookengine.transform.PayloadView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A config's legacy {@code filter} and {@code filterConditions}, compiled once into a predicate tree.
 * An event passes when both pass; a config with neither passes everything.
 *
 * <p>{@code filterConditions} combine with their {@code logical_operator}: AND (the default) needs
 * every condition, OR needs one; an empty group passes. Field conditions follow
 * {@link FieldCondition}'s semantics; a {@code jsonata_expression} condition holds when its result is
 * truthy by JSONata's {@code $boolean} (undefined is false).
 *
 * <p>The legacy filter passes when some value at {@code keyToFilter}, read as text, is one of
 * {@code supportedValues}. Its key is resolved like a condition field against the payload and, when
 * the path leads to nothing at all there, against the payload's {@code entity}: legacy configs name
 * keys relative to the entity. A key that leads to {@code null} or {@code []} at the root is there,
 * and does not fall back.
 *
 * <p>Immutable and thread-safe; evaluation reads the payload without changing it.
 */
public final class EventFilter {

    /** Passes everything. */
    public static final EventFilter ALL = new EventFilter(null, null, List.of(), true);

    private final String legacyKey;
    private final FieldCondition legacy;
    private final Set<String> legacyValues;
    private final List<Node> conditions;
    private final boolean all;
    // Skip verdicts are made once here: evaluation allocates no reason strings.
    private final Verdict legacySkip;
    private final Verdict noneHeld;

    private EventFilter(Filter filter, FieldCondition legacy, List<Node> conditions, boolean all) {
        this.legacyKey = filter == null ? null : filter.keyToFilter();
        this.legacy = legacy;
        this.legacyValues = filter == null ? Set.of() : new HashSet<>(filter.supportedValues());
        this.conditions = conditions;
        this.all = all;
        this.legacySkip = Verdict.skipped("filter: " + legacyKey + " is not one of "
                + legacyValues.stream().sorted().toList());
        this.noneHeld = Verdict.skipped("none of the " + conditions.size() + " filterConditions (OR) held");
    }

    /**
     * Compiles a config's filters. They must have passed {@link ConditionValidator}.
     *
     * @param filter the legacy filter, or {@code null}
     * @param group  the conditions, or {@code null}
     * @throws IllegalArgumentException when a condition does not compile
     */
    public static EventFilter compile(Filter filter, WebhookConditionGroup group) {
        List<Node> nodes = new ArrayList<>();
        boolean all = true;
        if (group != null && group.conditions() != null) {
            all = group.logicalOperator() != LogicalOperator.OR;
            List<WebhookCondition> conditions = group.conditions();
            for (int i = 0; i < conditions.size(); i++) {
                nodes.add(compile(conditions.get(i), "filterConditions.conditions[" + i + "]"));
            }
        }
        FieldCondition legacy = filter == null
                ? null
                : new FieldCondition(new WebhookCondition(
                        filter.keyToFilter(),
                        ConditionOperation.ANY_OF,
                        filter.supportedValues(),
                        null,
                        null,
                        null,
                        null));
        if (filter == null && nodes.isEmpty()) {
            return ALL;
        }
        return new EventFilter(filter, legacy, List.copyOf(nodes), all);
    }

    private static Node compile(WebhookCondition condition, String at) {
        if (condition.jsonataExpression() != null) {
            return new ExpressionNode(at, JsonataExpression.compile(condition.jsonataExpression()));
        }
        return new FieldNode(at, new FieldCondition(condition));
    }

    /**
     * Evaluates the filters on {@code payload}.
     *
     * @throws ExpressionException when a JSONata condition fails or hits a bound: the event fails,
     *                             rather than being skipped for a reason nobody chose
     */
    public Verdict test(PayloadView payload, ExpressionLimits limits) {
        if (legacy != null && !legacyPasses(payload.tree())) {
            return legacySkip;
        }
        if (conditions.isEmpty()) {
            return Verdict.MATCHED;
        }
        if (all) {
            for (Node node : conditions) {
                if (!node.test(payload, limits)) {
                    return node.skip();
                }
            }
            return Verdict.MATCHED;
        }
        for (Node node : conditions) {
            if (node.test(payload, limits)) {
                return Verdict.MATCHED;
            }
        }
        return noneHeld;
    }

    private boolean legacyPasses(JsonNode root) {
        if (legacy.resolves(root)) {
            return legacy.test(root);
        }
        JsonNode entity = root.get("entity");
        return entity != null && legacy.test(entity);
    }

    /** One compiled condition of the tree. */
    private interface Node {
        /** The verdict when this condition is the one that fails an AND group. */
        Verdict skip();

        boolean test(PayloadView payload, ExpressionLimits limits);
    }

    private record FieldNode(Verdict skip, FieldCondition condition) implements Node {
        FieldNode(String at, FieldCondition condition) {
            this(Verdict.skipped(at + " did not hold: " + condition.description()), condition);
        }

        @Override
        public boolean test(PayloadView payload, ExpressionLimits limits) {
            return condition.test(payload.tree());
        }
    }

    private record ExpressionNode(Verdict skip, JsonataExpression expression) implements Node {
        ExpressionNode(String at, JsonataExpression expression) {
            this(Verdict.skipped(at + " did not hold: jsonata_expression " + expression.source()), expression);
        }

        @Override
        public boolean test(PayloadView payload, ExpressionLimits limits) {
            return expression.test(payload, limits);
        }
    }
}

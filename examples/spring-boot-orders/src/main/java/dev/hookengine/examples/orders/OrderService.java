package dev.hookengine.examples.orders;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hookengine.DomainEvent;
import dev.hookengine.WebhookEngine;
import java.math.BigDecimal;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Places orders: the order row and its {@code order_created} webhook events commit together. */
@Service
public class OrderService {

    private final JdbcTemplate jdbc;
    private final WebhookEngine webhooks;

    public OrderService(JdbcTemplate jdbc, WebhookEngine webhooks) {
        this.jdbc = jdbc;
        this.webhooks = webhooks;
    }

    // spotless:off
    // readme:place-order:start
    @Transactional
    public String placeOrder(String orgId, String customer, BigDecimal total) {
        String orderId = "ord_" + UUID.randomUUID();
        jdbc.update("INSERT INTO orders (id, org_id, customer, total) VALUES (?, ?, ?, ?)",
                orderId, orgId, customer, total);
        // Joins this transaction: the event exists exactly when the order commits.
        webhooks.publish(DomainEvent.builder(orgId, "order_created")
                .entity(JsonNodeFactory.instance.objectNode()
                        .put("_id", orderId)
                        .put("customer", customer)
                        .put("total", total))
                .build());
        return orderId;
    }
    // readme:place-order:end
    // spotless:on

    /** How many orders the organization has. */
    public int countOrders(String orgId) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM orders WHERE org_id = ?", Integer.class, orgId);
        return count == null ? 0 : count;
    }
}

package dev.hookengine.examples.orders;

import java.math.BigDecimal;
import org.springframework.transaction.annotation.Transactional;

/** A checkout that places an order and then fails (the payment is declined): its transaction rolls back. */
public class FailingCheckout {

    private final OrderService orders;

    public FailingCheckout(OrderService orders) {
        this.orders = orders;
    }

    @Transactional
    public void placeOrderThenDecline(String orgId) {
        orders.placeOrder(orgId, "mallory", new BigDecimal("13.00"));
        throw new IllegalStateException("payment declined");
    }
}

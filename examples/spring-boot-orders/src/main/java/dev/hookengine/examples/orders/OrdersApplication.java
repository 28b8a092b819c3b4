package dev.hookengine.examples.orders;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small orders service: it saves an order and tells its customers' webhooks about it, in one
 * transaction. Everything webhook-related comes from the hookengine starter and a DataSource
 * ({@code application.properties}).
 */
@SpringBootApplication
public class OrdersApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrdersApplication.class, args);
    }
}

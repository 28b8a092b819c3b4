package dev.hookengine.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The event every benchmark reads: a realistic order-update payload of about 2 KiB, in the shape
 * the engine hands to conditions and transforms ({@code {metadata, entity}}), with an order of ten
 * line items, a customer, billing and shipping addresses, tags and dates.
 *
 * <p>Each method returns a fresh tree that went through JSON text and back, so numbers are the
 * nodes Jackson makes when it parses an event ({@code DoubleNode}, {@code IntNode}), as on the real
 * path, and not whatever the builder calls would have made.
 */
public final class Payloads {

    /** Smallest and largest serialized size the payload may have, in bytes. */
    public static final int MIN_BYTES = 1843;

    public static final int MAX_BYTES = 2560;

    /** Items in the order; the item SKUs run from {@code SKU-1001} to {@code SKU-1010}. */
    public static final int ITEMS = 10;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Payloads() {}

    /** The whole payload: {@code {"metadata": ..., "entity": ...}}. */
    public static ObjectNode order() {
        ObjectNode payload = NODES.objectNode();
        payload.set("metadata", metadataNode(true));
        payload.set("entity", entityNode());
        return reparse(payload);
    }

    /**
     * The {@code metadata} an event carries when it is published: without the webhook, organization,
     * creation time and correlation id, which the engine fills in per config.
     */
    public static ObjectNode eventMetadata() {
        return reparse(metadataNode(false));
    }

    /** The payload's {@code entity} alone: the order. */
    public static ObjectNode entity() {
        return reparse(entityNode());
    }

    /** Serialized size of {@code node} in bytes, as compact JSON. */
    public static int sizeInBytes(ObjectNode node) {
        try {
            return MAPPER.writeValueAsBytes(node).length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Fails unless {@code payload} is the promised ~2 KiB, so a change to the builder cannot silently
     * make every figure measure something else.
     */
    public static ObjectNode checkSize(ObjectNode payload) {
        int size = sizeInBytes(payload);
        if (size < MIN_BYTES || size > MAX_BYTES) {
            throw new IllegalStateException(
                    "benchmark payload is " + size + " bytes, expected " + MIN_BYTES + " to " + MAX_BYTES);
        }
        return payload;
    }

    private static ObjectNode metadataNode(boolean withEngineFields) {
        ObjectNode metadata = NODES.objectNode();
        metadata.put("action", "updated");
        metadata.put("origin", "order-service");
        metadata.put("user_id", "10056");
        if (!withEngineFields) {
            return metadata;
        }
        metadata.put("organization_id", "acme");
        metadata.put("webhook_id", "k3x9q2m7p4w8z1ab");
        metadata.put("webhook_name", "ERP order sync");
        metadata.put("creation_timestamp", "2024-05-02T08:15:30.000Z");
        metadata.put("correlation_id", "2f1c8a4e-6b0d-4c9e-9a57-3d2e1f0b7c66");
        return metadata;
    }

    private static ObjectNode entityNode() {
        ObjectNode entity = NODES.objectNode();
        entity.put("_id", "ord-7f3a9c21");
        entity.put("_schema", "order");
        entity.put("_org", "acme");
        entity.put("_created_at", "2024-05-01T09:58:12.000Z");
        entity.put("_updated_at", "2024-05-02T08:15:29.000Z");
        entity.put("order_number", "OR-2024-000123");
        entity.put("status", "open");
        entity.put("currency", "EUR");
        entity.put("total_amount", 1284.45);
        entity.put("express_shipping", true);
        entity.put("delivery_date", "2024-05-10");
        entity.putArray("tags").add("b2b").add("priority");

        ObjectNode customer = entity.putObject("customer");
        customer.put("id", "cus-55821");
        customer.put("name", "Erika Mustermann");
        customer.put("email", "erika.mustermann@example.com");
        customer.put("phone", "+49 30 1234567");

        address(entity.putObject("billing_address"), "Hauptstrasse 5", "10115", "Berlin", "DE");
        address(entity.putObject("shipping_address"), "Hafenweg 22", "20457", "Hamburg", "DE");

        ArrayNode items = entity.putArray("items");
        for (int i = 1; i <= ITEMS; i++) {
            ObjectNode item = items.addObject();
            item.put("sku", "SKU-" + (1000 + i));
            item.put("name", "Industrial widget type " + i);
            item.put("qty", 1 + i % 4);
            item.put("price", 12.5 + 7.25 * i);
            item.put("category", i % 3 == 0 ? "tools" : "hardware");
        }
        return entity;
    }

    private static void address(ObjectNode address, String street, String postalCode, String city, String country) {
        address.put("street", street);
        address.put("postal_code", postalCode);
        address.put("city", city);
        address.put("country", country);
    }

    private static ObjectNode reparse(ObjectNode node) {
        try {
            return (ObjectNode) MAPPER.readTree(MAPPER.writeValueAsBytes(node));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

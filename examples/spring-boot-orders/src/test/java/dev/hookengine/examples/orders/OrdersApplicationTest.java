package dev.hookengine.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookengine.WebhookEngine;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.SearchOptions;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.signing.AesGcmKeyCipher;
import dev.hookengine.testing.Answer;
import dev.hookengine.testing.Received;
import dev.hookengine.testing.TestReceiver;
import io.micrometer.core.instrument.MeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The example application as it runs: a real Spring Boot context with the starter, on a real PostgreSQL
 * (embedded), delivering to a real receiver on 127.0.0.1. Each test has an organization of its own on
 * the one database.
 */
class OrdersApplicationTest {

    private static final String MASTER_KEY = AesGcmKeyCipher.generateBase64Key(new SecureRandom());
    private static final Pattern ORDER_ID = Pattern.compile("ord_[0-9a-f-]{36}");
    private static final Duration WITHIN = Duration.ofSeconds(30);

    private static EmbeddedPostgres postgres;

    private final String org = "org_" + UUID.randomUUID();

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    /** The application on the test's database, as a deployment would run it, with {@code extra} settings. */
    private static ConfigurableApplicationContext startApplication(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--hookengine.master-key=" + MASTER_KEY,
                // The receiver is on 127.0.0.1, which the SSRF guard refuses unless allowed.
                "--hookengine.http.allow-addresses=127.0.0.1/32",
                "--hookengine.poll-interval=50ms"));
        for (String setting : extra) {
            args.add("--" + setting);
        }
        return new SpringApplicationBuilder(OrdersApplication.class, FailingCheckout.class)
                .web(WebApplicationType.NONE)
                .run(args.toArray(String[]::new));
    }

    @Test
    void orderPlacedInACommittedTransactionIsDeliveredOnce() throws Exception {
        // What the application prints (its console log), copied aside: Spring Boot 4's
        // OutputCaptureExtension needs JUnit 6, and the project runs JUnit 5.14.
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream console = System.out;
        System.setOut(new PrintStream(new TeeOutputStream(console, output), true, StandardCharsets.UTF_8));
        try (TestReceiver receiver = TestReceiver.start();
                ConfigurableApplicationContext app = startApplication()) {
            WebhookEngine engine = app.getBean(WebhookEngine.class);
            WebhookConfig config = engine.createConfig(org, ordersWebhook(receiver));

            String orderId = app.getBean(OrderService.class).placeOrder(org, "ada", new BigDecimal("42.50"));

            List<Received> received = receiver.awaitReceived(1, WITHIN);
            assertThat(received.get(0).body()).contains(orderId);
            awaitEvents(engine, config, EventStatus.SUCCEEDED, 1);
            // The event ended succeeded: nothing more is sent for it, and it was sent once.
            assertThat(receiver.receivedCount()).isEqualTo(1);
        } finally {
            System.setOut(console);
        }
        // Start-up, delivery and shutdown logged; the master key never.
        assertThat(output.toString(StandardCharsets.UTF_8))
                .contains("hookengine built")
                .doesNotContain(MASTER_KEY);
    }

    /** Writes to both streams. */
    private static final class TeeOutputStream extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        TeeOutputStream(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }

    @Test
    void orderRolledBackLeavesNoEventAndSendsNothing() throws Exception {
        try (TestReceiver receiver = TestReceiver.start();
                ConfigurableApplicationContext app = startApplication()) {
            WebhookEngine engine = app.getBean(WebhookEngine.class);
            WebhookConfig config = engine.createConfig(org, ordersWebhook(receiver));
            OrderService orders = app.getBean(OrderService.class);

            assertThatThrownBy(() -> app.getBean(FailingCheckout.class).placeOrderThenDecline(org))
                    .hasMessage("payment declined");

            assertThat(orders.countOrders(org)).isZero();
            assertThat(events(engine, config)).isEmpty();
            // A committed order after it is delivered: had the rolled-back one left a job, it would
            // have been sent too, ahead of this one.
            String committed = orders.placeOrder(org, "ada", BigDecimal.ONE);
            awaitEvents(engine, config, EventStatus.SUCCEEDED, 1);
            assertThat(receiver.received()).hasSize(1);
            assertThat(receiver.received().get(0).body()).contains(committed);
            assertThat(events(engine, config)).hasSize(1);
        }
    }

    @Test
    void healthShowsTheEngineAndItsMetersAreInTheApplicationsRegistry() throws Exception {
        try (TestReceiver receiver = TestReceiver.start();
                ConfigurableApplicationContext app = startApplication()) {
            WebhookEngine engine = app.getBean(WebhookEngine.class);
            WebhookConfig config = engine.createConfig(org, ordersWebhook(receiver));
            app.getBean(OrderService.class).placeOrder(org, "ada", BigDecimal.TEN);
            awaitEvents(engine, config, EventStatus.SUCCEEDED, 1);

            // What /actuator/health/hookengine answers.
            IndicatedHealthDescriptor health = (IndicatedHealthDescriptor)
                    app.getBean(HealthEndpoint.class).healthForPath("hookengine");
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsKeys("depth", "due");

            MeterRegistry meters = app.getBean(MeterRegistry.class);
            assertThat(meters.find("hookengine.events").counters()).isNotEmpty();
            assertThat(meters.getMeters())
                    .extracting(meter -> meter.getId().getName())
                    .contains("hookengine.attempts", "hookengine.queue.depth");
        }
    }

    @Test
    void shutdownWithDeliveriesInFlightLosesNothing() throws Exception {
        String[] settings = {
            "hookengine.delivery-threads=2", "hookengine.delivery-batch-size=2", "hookengine.attempt-deadline=1s"
        };
        try (TestReceiver receiver = TestReceiver.start()) {
            // The first two requests are never answered: they are in flight when the application stops.
            receiver.answer(Answer.hold(), Answer.hold());
            List<String> placed = new ArrayList<>();
            WebhookConfig config;
            try (ConfigurableApplicationContext app = startApplication(settings)) {
                config = app.getBean(WebhookEngine.class).createConfig(org, ordersWebhook(receiver));
                OrderService orders = app.getBean(OrderService.class);
                for (int i = 0; i < 6; i++) {
                    placed.add(orders.placeOrder(org, "customer-" + i, BigDecimal.valueOf(i)));
                }
                receiver.awaitReceived(2, WITHIN);
            }
            List<String> inFlightAtShutdown = orderIds(receiver.received());
            assertThat(inFlightAtShutdown).hasSizeLessThan(placed.size());

            try (ConfigurableApplicationContext restarted = startApplication(settings)) {
                WebhookEngine engine = restarted.getBean(WebhookEngine.class);
                awaitEvents(engine, config, EventStatus.SUCCEEDED, placed.size());
                Map<String, Long> sends = orderIds(receiver.received()).stream()
                        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
                assertThat(sends.keySet()).containsExactlyInAnyOrderElementsOf(placed);
                // The two cut short by the shutdown were sent again after the restart.
                for (String cut : inFlightAtShutdown) {
                    assertThat(sends.get(cut)).as(cut).isGreaterThanOrEqualTo(2);
                }
            }
        }
    }

    private static WebhookConfig ordersWebhook(TestReceiver receiver) {
        return WebhookConfig.builder()
                .name("orders")
                .eventName("order_created")
                .url(receiver.url("/hooks/orders"))
                .build();
    }

    private List<WebhookEvent> events(WebhookEngine engine, WebhookConfig config) {
        return engine.getWebhookEventsV2(org, config.id(), SearchOptions.firstPage())
                .data();
    }

    /** Waits, polling with a deadline, until {@code count} events of the config have {@code status}. */
    private void awaitEvents(WebhookEngine engine, WebhookConfig config, EventStatus status, int count)
            throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (true) {
            long done = events(engine, config).stream()
                    .filter(event -> event.status() == status)
                    .count();
            if (done >= count) {
                return;
            }
            assertThat(System.nanoTime())
                    .as("%d events %s within %s", count, status, WITHIN)
                    .isLessThan(deadline);
            Thread.sleep(20); // the pace of polling under the deadline above
        }
    }

    private static List<String> orderIds(List<Received> requests) {
        List<String> ids = new ArrayList<>();
        for (Received request : requests) {
            Matcher matcher = ORDER_ID.matcher(request.body());
            if (matcher.find()) {
                ids.add(matcher.group());
            }
        }
        return ids;
    }
}

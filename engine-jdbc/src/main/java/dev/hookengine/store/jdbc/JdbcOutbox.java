package dev.hookengine.store.jdbc;

import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.EventSink;
import dev.hookengine.store.support.StoreArguments;
import java.sql.Connection;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * The transactional outbox: {@link EventSink}s that append events and their delivery jobs through a
 * transaction the caller holds, so that
 * {@link dev.hookengine.WebhookEngine#publish(dev.hookengine.DomainEvent, EventSink)} writes them
 * together with the caller's business data: both commit, or neither. {@link JdbcWebhookStore}'s
 * {@code inTransaction} methods hand them out.
 *
 * <p>A sink never commits, rolls back or closes the caller's connection. It checks for an existing
 * event id and queued job ids before inserting, rather than relying on a failed insert as
 * {@link JdbcEvents#appendEvent} does, because on PostgreSQL a failed statement aborts the caller's
 * whole transaction. It writes the same rows as {@link JdbcEvents}.
 */
final class JdbcOutbox {

    private final Dialect dialect;
    private final Settings settings;
    private final JdbcTables t;
    private final JdbcEvents eventRows;

    JdbcOutbox(Dialect dialect, Settings settings, JdbcTables tables, JdbcEvents eventRows) {
        this.dialect = dialect;
        this.settings = settings;
        this.t = tables;
        this.eventRows = eventRows;
    }

    /** A sink writing through {@code connection}'s open transaction. */
    EventSink on(Connection connection) {
        return sink(DSL.using(connection, dialect.jooq(), settings));
    }

    /** A sink writing through the connection of {@code dsl}, the context of the caller's jOOQ transaction. */
    EventSink on(DSLContext dsl) {
        return sink(DSL.using(dsl.configuration().connectionProvider(), dialect.jooq(), settings));
    }

    private EventSink sink(DSLContext tx) {
        return (event, jobs) -> {
            StoreArguments.requireAppendable(event, jobs);
            String json = eventRows.eventJson(event);
            return tx.connectionResult(connection -> {
                if (connection.getAutoCommit()) {
                    throw new IllegalStateException("inTransaction needs a connection inside a transaction "
                            + "(auto-commit off): in auto-commit mode the event and its jobs would not commit "
                            + "with the caller's data");
                }
                DSLContext on = DSL.using(connection, dialect.jooq(), settings);
                if (on.fetchExists(t.events, t.eOrg.eq(event.orgId()), t.eId.eq(event.eventId()))) {
                    return false;
                }
                List<String> jobIds = jobs.stream().map(DeliveryJob::jobId).toList();
                if (!jobIds.isEmpty() && on.fetchExists(t.jobs, t.jId.in(jobIds))) {
                    throw JdbcEvents.queued(event, jobs);
                }
                eventRows.insertEvent(on, event, json);
                eventRows.insertJobs(on, event, jobs);
                return true;
            });
        };
    }
}

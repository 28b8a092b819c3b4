package dev.hookengine.spi;

import dev.hookengine.model.WebhookEvent;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Argument checks that the store contracts require of every implementation, in one place so that
 * every store rejects the same bad input the same way.
 */
public final class StoreArguments {

    private StoreArguments() {
    }

    /**
     * Checks the arguments of {@link EventStore#appendEvent}: the event's identifying fields are set,
     * and every job belongs to this event of this organization and appears once.
     *
     * @throws NullPointerException     naming the missing field
     * @throws IllegalArgumentException naming the job at fault
     */
    public static void requireAppendable(WebhookEvent event, List<DeliveryJob> jobs) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(jobs, "jobs");
        Objects.requireNonNull(event.eventId(), "event.eventId");
        Objects.requireNonNull(event.orgId(), "event.orgId");
        Objects.requireNonNull(event.webhookConfigId(), "event.webhookConfigId");
        Objects.requireNonNull(event.createdAt(), "event.createdAt");
        Set<String> jobIds = new HashSet<>();
        for (DeliveryJob job : jobs) {
            Objects.requireNonNull(job, "job");
            if (!job.orgId().equals(event.orgId()) || !job.eventId().equals(event.eventId())) {
                throw new IllegalArgumentException("job " + job.jobId() + " belongs to event "
                        + job.orgId() + "/" + job.eventId() + ", not " + event.orgId() + "/" + event.eventId());
            }
            if (!jobIds.add(job.jobId())) {
                throw new IllegalArgumentException("job id " + job.jobId() + " appears twice");
            }
        }
    }
}

package dev.hookengine.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A job handed to one node by {@link DeliveryQueue#claim}, with the lease that makes it that node's.
 *
 * @param job            the job as it was when claimed
 * @param nodeId         the node that holds the lease
 * @param leaseExpiresAt after this instant the job may be claimed again by any node
 * @param leaseToken     identifies this one claim: it differs from the token of every other claim of
 *                       the same job, so that a node whose lease expired and was taken over cannot
 *                       complete or reschedule the job under the new holder's feet
 */
public record ClaimedJob(DeliveryJob job, String nodeId, Instant leaseExpiresAt, long leaseToken) {
    public ClaimedJob {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(leaseExpiresAt, "leaseExpiresAt");
    }
}

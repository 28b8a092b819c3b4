/**
 * Delivery, one class per step: the {@link dev.hookengine.internal.delivery.ClaimLoop} claims due
 * jobs and starts them on the threads of {@link dev.hookengine.internal.delivery.DeliveryWorkers};
 * the {@link dev.hookengine.internal.delivery.AttemptRunner} makes each attempt and decides its
 * retry; {@link dev.hookengine.internal.delivery.SignedRequests} builds the request,
 * {@link dev.hookengine.internal.delivery.Exchange} sends it behind the destination's circuit breaker
 * and the {@link dev.hookengine.internal.delivery.LeaseFence}; {@code Outcome} classifies what came
 * back, and the {@link dev.hookengine.internal.delivery.OutcomeWriter} records it.
 */
package dev.hookengine.internal.delivery;

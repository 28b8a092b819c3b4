/**
 * Records and enums for every schema of the webhooks API ({@code webhooks.openapi.json}).
 *
 * <p>JSON names are exactly the spec's: configs camelCase, events snake_case. Every optional field
 * is a nullable reference type ({@code Boolean}, not {@code boolean}) so that a field absent on input
 * stays absent when written back. Timestamps are {@link java.time.Instant}s written as
 * {@code 2021-04-27T12:01:13.000Z} (see {@link dev.hookengine.model.IsoInstant}); secret values are
 * {@link dev.hookengine.model.Secret}s, which never show themselves in {@code toString}. The records
 * carry their own Jackson annotations and need no module: any {@code ObjectMapper} reads and writes them.
 */
package dev.hookengine.model;

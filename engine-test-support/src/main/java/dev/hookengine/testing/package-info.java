/**
 * Test utilities shared by the modules' tests and the load harness: {@link dev.hookengine.testing.TestReceiver},
 * a real HTTP server on a loopback address standing in for a customer's webhook endpoint, with the
 * {@link dev.hookengine.testing.Behaviour} it answers with (scripted {@link dev.hookengine.testing.Answer}s
 * by default) and the {@link dev.hookengine.testing.Received} requests it records.
 */
package dev.hookengine.testing;

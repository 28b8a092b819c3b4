/**
 * Test utilities shared by the modules' tests and the load harness: {@link dev.hookengine.testing.TestReceiver},
 * a real HTTP server on a loopback address standing in for a customer's webhook endpoint, with the
 * {@link dev.hookengine.testing.Behaviour} it answers with (scripted {@link dev.hookengine.testing.Answer}s
 * by default) and the {@link dev.hookengine.testing.Received} requests it records; and
 * {@link dev.hookengine.testing.HostileReceiver}, raw sockets that misbehave below HTTP (headers
 * without end, a body without end or dripping, silence or garbage where TLS is expected, a reset after
 * the headers) and record what they managed to write and when each connection ended.
 */
package dev.hookengine.testing;

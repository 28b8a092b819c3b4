/**
 * Test utilities shared by the modules' tests and the load harness: {@link dev.hookengine.testing.TestReceiver},
 * a real HTTP server on a loopback address standing in for a customer's webhook endpoint, with the
 * {@link dev.hookengine.testing.Behaviour} it answers with (scripted {@link dev.hookengine.testing.Answer}s
 * by default) and the {@link dev.hookengine.testing.Received} requests it records; and
 * {@link dev.hookengine.testing.HostileReceiver}, raw sockets that misbehave below HTTP (headers
 * without end, a body without end or dripping, silence or garbage where TLS is expected, a reset after
 * the headers) and record what they managed to write and when each connection ended;
 * {@link dev.hookengine.testing.TestCertificate}, a self-signed certificate a test makes for an https
 * receiver and its sender's trust store; and {@link dev.hookengine.testing.TestProxy}, a real forward
 * proxy (CONNECT for https) on 127.0.0.1 that records what it passed on.
 */
package dev.hookengine.testing;

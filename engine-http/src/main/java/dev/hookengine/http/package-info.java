/**
 * {@link dev.hookengine.http.JettyHttpTransport}, the standard {@link dev.hookengine.spi.HttpTransport}
 * on Jetty 12's {@code HttpClient}, and the {@link dev.hookengine.http.SsrfGuard} that keeps tenant
 * URLs away from loopback, private and metadata addresses.
 */
package dev.hookengine.http;

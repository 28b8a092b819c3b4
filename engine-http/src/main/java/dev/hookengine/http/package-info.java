/**
 * {@link dev.hookengine.http.JettyHttpTransport}, the standard {@link dev.hookengine.spi.HttpTransport}
 * on Jetty 12's {@code HttpClient}, and the {@link dev.hookengine.http.SsrfGuard} that keeps tenant
 * URLs away from loopback, private and metadata addresses.
 *
 * <h2>Hostile receivers</h2>
 *
 * <p>A receiver is a tenant's server, and may misbehave on purpose. Whatever it does, an exchange ends
 * by its deadline, keeps at most {@code maxResponseBytes} of body and {@code maxResponseHeaderBytes}
 * of head, holds no thread while it waits, and leaves no connection behind: every connection that
 * carried a failed or cut exchange is closed, not pooled. What each behaviour comes to (the
 * {@link dev.hookengine.spi.TransportResult}, then the code the engine records, see
 * {@link dev.hookengine.OutcomeCode}); each has its test in {@code HostileReceiverTest}:
 *
 * <table>
 *   <caption>What the transport does with each hostile behaviour</caption>
 *   <tr><th>the receiver</th><th>the transport</th><th>recorded</th></tr>
 *   <tr><td>sends a head (status line and headers) larger than {@code maxResponseHeaderBytes} (64 KiB),
 *       say 10 MiB of headers</td>
 *       <td>stops reading at the bound and closes: {@code CONNECTION_FAILED}, "not valid HTTP: Response
 *       Header Bytes Too Large". The status is not used: a head that was not read whole is no
 *       answer.</td>
 *       <td>{@code CONNECTION_ERROR}, retried</td></tr>
 *   <tr><td>sends bytes that are not HTTP (a bad status line, control characters)</td>
 *       <td>closes: {@code CONNECTION_FAILED}, "not valid HTTP", with Jetty's reason. The receiver's
 *       fault, so not {@code LOCAL_ERROR}.</td>
 *       <td>{@code CONNECTION_ERROR}, retried</td></tr>
 *   <tr><td>sends a body without end (chunked or until close)</td>
 *       <td>keeps the first {@code maxResponseBytes}, closes the connection at the next byte: the
 *       status with the body cut, {@code truncated}; long before the deadline</td>
 *       <td>{@code INTERNAL_RESPONSE_TOO_LARGE} with the status kept; the status decides
 *       success or retry</td></tr>
 *   <tr><td>drips the body, each byte well within the idle timeout, the whole past the deadline</td>
 *       <td>ends the exchange at the deadline and closes: {@code TIMEOUT}, "the body did not finish".
 *       The deadline bounds the whole exchange, not each read.</td>
 *       <td>{@code TIMEOUT}, retried</td></tr>
 *   <tr><td>accepts the TCP connection of an https URL and never completes the TLS handshake</td>
 *       <td>ends at the deadline and closes: {@code TIMEOUT}, "no response"</td>
 *       <td>{@code TIMEOUT}, retried</td></tr>
 *   <tr><td>answers the TLS handshake with garbage</td>
 *       <td>{@code CONNECTION_FAILED} at once ({@code SSLException})</td>
 *       <td>{@code CONNECTION_ERROR}, retried</td></tr>
 *   <tr><td>completes the TLS handshake with a certificate that is not trusted, has expired or is for
 *       another host name</td>
 *       <td>{@code TLS_FAILED} at once, the certificate's fault in the message; nothing sent
 *       ({@code TlsAndProxyTransportTest})</td>
 *       <td>{@code TLS_ERROR}, retried</td></tr>
 *   <tr><td>sends the status and headers, then resets the connection (RST) before the body is done</td>
 *       <td>{@code CONNECTION_FAILED}: a response whose body did not arrive is no answer, whatever its
 *       status</td>
 *       <td>{@code CONNECTION_ERROR}, retried</td></tr>
 * </table>
 *
 * <p>Jetty's connection pool may open a connection more than the requests waiting for one; such a
 * spare, never used, closes after the idle timeout like any idle connection.
 */
package dev.hookengine.http;

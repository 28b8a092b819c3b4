package dev.hookengine.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookengine.testing.HostileReceiver.Connection;
import dev.hookengine.testing.HostileReceiver.Mode;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hostile receiver against a plain socket: it does what each mode says, and records it. */
class HostileReceiverTest {

    private static final byte[] REQUEST =
            "POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}".getBytes(US_ASCII);

    private static Socket connect(HostileReceiver receiver) throws IOException {
        Socket socket = new Socket("127.0.0.1", receiver.port());
        socket.setSoTimeout(10_000); // a test that hangs fails instead
        return socket;
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("the head ended early: " + head).isNotNegative();
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void hugeHeadersSendTheWholeBlockThenAValidBody() throws Exception {
        try (HostileReceiver receiver = HostileReceiver.builder(Mode.HUGE_HEADERS)
                        .headerBytes(4096)
                        .start();
                Socket socket = connect(receiver)) {
            socket.getOutputStream().write(REQUEST);
            InputStream in = socket.getInputStream();

            String head = readHead(in);

            assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: 2\r\n");
            assertThat(head.length()).isGreaterThan(4096);
            assertThat(new String(in.readNBytes(2), US_ASCII)).isEqualTo("ok");
        }
    }

    @Test
    void aResetAfterTheHeadersIsAResetNotAnEnd() throws Exception {
        try (HostileReceiver receiver = HostileReceiver.start(Mode.RESET_AFTER_HEADERS);
                Socket socket = connect(receiver)) {
            socket.getOutputStream().write(REQUEST);
            InputStream in = socket.getInputStream();

            assertThat(readHead(in)).contains("Content-Length: 1000");
            assertThat(new String(in.readNBytes(10), US_ASCII)).isEqualTo("0123456789");
            // An orderly close would read as the end of the stream (-1); a reset fails the read.
            assertThatThrownBy(() -> in.readNBytes(990)).isInstanceOf(SocketException.class);

            assertThat(receiver.awaitAllEnded(1, Duration.ofSeconds(10))).isTrue();
            assertThat(receiver.endedConnections())
                    .singleElement()
                    .satisfies(c -> assertThat(c.closedBySender()).isFalse());
        }
    }

    @Test
    void aConnectionRecordsWhatWasWrittenAndWhoClosedIt() throws Exception {
        try (HostileReceiver receiver = HostileReceiver.start(Mode.SLOW_DRIP)) {
            try (Socket socket = connect(receiver)) {
                socket.getOutputStream().write(REQUEST);
                InputStream in = socket.getInputStream();
                assertThat(readHead(in)).contains("Content-Length: 1048576");
                assertThat(in.readNBytes(3)).containsOnly('.');
            } // the sender closes

            assertThat(receiver.awaitAllEnded(1, Duration.ofSeconds(10))).isTrue();
            List<Connection> connections = receiver.endedConnections();
            assertThat(connections).singleElement().satisfies(c -> {
                assertThat(c.closedBySender()).isTrue();
                assertThat(c.bytesWritten()).isGreaterThan(3);
                assertThat(c.lifetime()).isPositive();
            });
            assertThat(receiver.acceptedCount()).isEqualTo(1);
            assertThat(receiver.openCount()).isZero();
        }
    }
}

package io.brook.it.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The partition proxy against a loopback echo server: forwards, goes silent when cut, forwards again when healed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpProxyTest {

    private ServerSocket echo;
    private Thread echoThread;
    private TcpProxy proxy;

    @BeforeEach
    void startEcho() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        echoThread = new Thread(this::serveEcho, "echo");
        echoThread.setDaemon(true);
        echoThread.start();
        proxy = TcpProxy.start("test", 0, echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    private void serveEcho() {
        while (!echo.isClosed()) {
            try {
                Socket socket = echo.accept();
                Thread handler = new Thread(() -> {
                    try (socket) {
                        socket.getInputStream().transferTo(socket.getOutputStream());
                    } catch (IOException e) {
                        // the proxy closed the connection
                    }
                }, "echo-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    @Test
    void shouldForwardWhenHealthy() throws IOException {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, "hello")).isEqualTo("hello");
        }
    }

    @Test
    void shouldGoSilentWhenCutAndForwardNewConnectionsWhenHealed() throws IOException {
        try (Socket before = connect()) {
            assertThat(roundTrip(before, "one")).isEqualTo("one");

            // when
            proxy.cut();

            // then neither the old connection nor a new one carries bytes, and nothing is refused
            assertThatThrownBy(() -> roundTrip(before, "two")).isInstanceOf(SocketTimeoutException.class);
            try (Socket during = connect()) {
                assertThatThrownBy(() -> roundTrip(during, "three")).isInstanceOf(SocketTimeoutException.class);
            }

            // when healed: connections that lived through the cut are closed, new ones work
            proxy.heal();
            Awaitility.await("old connection closed").atMost(Duration.ofSeconds(10))
                    .until(() -> readsEndOfStream(before));
            try (Socket after = connect()) {
                assertThat(roundTrip(after, "four")).isEqualTo("four");
            }
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        socket.setSoTimeout(1_000);
        return socket;
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        byte[] buffer = new byte[text.length()];
        InputStream in = socket.getInputStream();
        int read = 0;
        while (read < buffer.length) {
            int n = in.read(buffer, read, buffer.length - read);
            if (n < 0) {
                throw new IOException("closed");
            }
            read += n;
        }
        return new String(buffer, StandardCharsets.UTF_8);
    }

    private static boolean readsEndOfStream(Socket socket) {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset counts as closed
        }
    }
}

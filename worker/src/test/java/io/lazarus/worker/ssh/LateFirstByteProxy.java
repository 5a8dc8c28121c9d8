package io.lazarus.worker.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** A loopback TCP proxy to one node that holds the node's bytes back for {@code delay}: a slow network or a slow node. */
final class LateFirstByteProxy implements AutoCloseable {

    private final ServerSocket server;

    LateFirstByteProxy(String host, int port, Duration delay) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("late-proxy-accept").start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket node = new Socket(host, port);
                    Thread.ofVirtual().start(() -> pump(client, node, Duration.ZERO));
                    Thread.ofVirtual().start(() -> pump(node, client, delay));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    private static void pump(Socket from, Socket to, Duration delay) {
        try (from;
                to) {
            Thread.sleep(delay);
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // either side closed: both are closed on the way out
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}

package io.lazarus.testkit.rabbit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** A node's loopback ports: AMQP, AMQP over TLS (0 when the node has no TLS listener) and Erlang distribution. */
record NodePorts(int amqp, int tls, int distribution) {

    static NodePorts free(boolean withTls) throws IOException {
        Set<Integer> taken = new HashSet<>();
        int amqp = free(taken);
        int tls = withTls ? free(taken) : 0;
        return new NodePorts(amqp, tls, free(taken));
    }

    private static int free(Set<Integer> taken) throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (taken.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
    }
}

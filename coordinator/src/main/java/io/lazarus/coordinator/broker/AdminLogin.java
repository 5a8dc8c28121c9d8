package io.lazarus.coordinator.broker;

import com.rabbitmq.client.ConnectionFactory;
import java.net.URI;

/** The administrator's AMQP URI, taken apart as the RabbitMQ client reads it ({@code /} when it names no vhost). */
public record AdminLogin(URI uri, String user, String password, String host, int port, String vhost) {

    public static AdminLogin of(URI uri) {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(uri);
        } catch (Exception e) {
            throw new IllegalArgumentException(
                    "--admin-uri: not an AMQP URI (" + e.getMessage() + "), e.g. amqp://guest:guest@localhost:5672/",
                    e);
        }
        // the client reads amqp://host/ as the vhost "", which no broker has: it means the default vhost
        String vhost = factory.getVirtualHost().isEmpty() ? "/" : factory.getVirtualHost();
        return new AdminLogin(
                uri, factory.getUsername(), factory.getPassword(), factory.getHost(), factory.getPort(), vhost);
    }

    public ConnectionFactory factory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(user);
        factory.setPassword(password);
        factory.setVirtualHost(vhost);
        if (uri.getScheme().equalsIgnoreCase("amqps")) {
            try {
                factory.useSslProtocol(javax.net.ssl.SSLContext.getDefault());
                factory.enableHostnameVerification();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        factory.setConnectionTimeout(10_000);
        return factory;
    }

    /** Whether the broker runs on this machine, so that the local rabbitmqctl speaks to it. */
    public boolean local() {
        try {
            java.net.InetAddress address = java.net.InetAddress.getByName(host);
            return address.isLoopbackAddress() || java.net.NetworkInterface.getByInetAddress(address) != null;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "amqp://" + user + "@" + host + ":" + port + "/" + vhost;
    }
}

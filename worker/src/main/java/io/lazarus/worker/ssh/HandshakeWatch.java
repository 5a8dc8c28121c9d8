package io.lazarus.worker.ssh;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.SocketFactory;
import com.jcraft.jsch.UserInfo;
import io.lazarus.common.contract.HostKeyCheck;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the two phases of one SSH connect: TCP, banner and key exchange within the connect timeout; authentication
 * within the auth timeout, counted from the moment the host key is checked. When a phase overruns, the socket is
 * closed under JSch, which ends its blocked read at once. JSch sees the socket through this factory and the host key
 * check through this repository, which is how the watch knows where the handshake is. It also times the node's first
 * byte: connect to its SSH banner, the network's and the node's answer before any of the worker's own cryptography.
 */
final class HandshakeWatch implements SocketFactory, HostKeyRepository {

    private final KnownHostsRepository keys;
    private final ScheduledExecutorService timer;
    private final Duration connectTimeout;
    private final Duration authTimeout;
    private final Socket socket = new Socket();
    private final long created = System.nanoTime();
    private volatile long firstByteAt;
    private ScheduledFuture<?> alarm;
    private volatile String overrun;
    private volatile HostKeyCheck hostKeyCheck;

    HandshakeWatch(
            KnownHostsRepository keys, ScheduledExecutorService timer, Duration connectTimeout, Duration authTimeout) {
        this.keys = keys;
        this.timer = timer;
        this.connectTimeout = connectTimeout;
        this.authTimeout = authTimeout;
        arm("no SSH handshake within " + Durations.human(connectTimeout), connectTimeout);
    }

    /** Why the watch cut the handshake short; null if it did not. */
    String overrun() {
        return overrun;
    }

    /** The handshake ended, either way: no alarm may fire on a live session. */
    synchronized void finished() {
        alarm.cancel(false);
    }

    /** How the node's host key was verified; null if no key was accepted. */
    HostKeyCheck hostKeyCheck() {
        return hostKeyCheck;
    }

    /** From the start of the connect to the node's first byte; null if none came. */
    Duration firstByte() {
        long at = firstByteAt;
        return at == 0 ? null : Duration.ofNanos(at - created);
    }

    Socket socket() {
        return socket;
    }

    private synchronized void arm(String reason, Duration after) {
        if (alarm != null) {
            alarm.cancel(false);
        }
        alarm = timer.schedule(() -> cut(reason), after.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cut(String reason) {
        overrun = reason;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed either way
        }
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), Durations.millis(connectTimeout));
        return socket;
    }

    @Override
    public InputStream getInputStream(Socket s) throws IOException {
        return new FilterInputStream(s.getInputStream()) {
            @Override
            public int read() throws IOException {
                return firstByte(super.read(), 1);
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                return firstByte(n, n);
            }
        };
    }

    private int firstByte(int result, int bytes) {
        if (bytes > 0 && firstByteAt == 0) {
            firstByteAt = System.nanoTime();
        }
        return result;
    }

    @Override
    public OutputStream getOutputStream(Socket s) throws IOException {
        return s.getOutputStream();
    }

    @Override
    public int check(String host, byte[] key) {
        arm("authentication did not finish within " + Durations.human(authTimeout), authTimeout);
        KnownHostsRepository.Verdict verdict = keys.verify(host, key);
        hostKeyCheck = verdict.check();
        return verdict.result();
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        keys.add(hostkey, ui);
    }

    @Override
    public void remove(String host, String type) {
        keys.remove(host, type);
    }

    @Override
    public void remove(String host, String type, byte[] key) {
        keys.remove(host, type, key);
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return keys.getKnownHostsRepositoryID();
    }

    @Override
    public HostKey[] getHostKey() {
        return keys.getHostKey();
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        return keys.getHostKey(host, type);
    }
}

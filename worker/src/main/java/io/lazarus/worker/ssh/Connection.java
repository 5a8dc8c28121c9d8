package io.lazarus.worker.ssh;

import com.jcraft.jsch.Session;
import java.io.IOException;
import java.net.Socket;

/** A logged-in SSH session and the socket under it. */
record Connection(Session session, Socket socket) {

    boolean isConnected() {
        return session.isConnected();
    }

    /** Orderly close, for a session whose commands all finished. */
    void close() {
        session.disconnect();
    }

    /**
     * Ends the session without a word to the node: the socket is closed first, so nothing here can block on a peer
     * that stopped reading. The node's sshd sees the connection drop and hangs up the command's terminal (SIGHUP).
     */
    void tearDown() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed either way
        }
        session.disconnect();
    }
}

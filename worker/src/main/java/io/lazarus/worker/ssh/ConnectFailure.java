package io.lazarus.worker.ssh;

import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchHostKeyException;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.Outcome;

/** A connection that did not come about, already classified. */
final class ConnectFailure extends Exception {

    /** What JSch says when the server's key-exchange reply does not verify (its signature, or its exchange value). */
    private static final String KEY_EXCHANGE_UNVERIFIED = "verify: false";

    final Outcome outcome;

    ConnectFailure(Outcome outcome, String reason) {
        super(reason, null, false, false);
        this.outcome = outcome;
    }

    /** Worth another connect attempt: the network or the node may recover; a key or credential verdict will not. */
    boolean retryable() {
        return outcome == Outcome.CONNECT_FAILED;
    }

    static ConnectFailure classify(JSchException e, NodeTarget node, String overrun) {
        if (overrun != null) {
            return new ConnectFailure(Outcome.CONNECT_FAILED, overrun);
        }
        String detail = describe(e);
        if (e instanceof JSchHostKeyException) {
            return new ConnectFailure(
                    Outcome.HOST_KEY_REJECTED, "host key of " + node.address() + " rejected: " + detail);
        }
        if (detail.startsWith(KEY_EXCHANGE_UNVERIFIED)) {
            // the node presented a host key (perhaps the one on record) but did not prove it holds it: an impostor or a
            // broken server, which another attempt will not change
            return new ConnectFailure(
                    Outcome.HOST_KEY_REJECTED,
                    "host key of " + node.address() + " rejected: the node's signature of the key exchange did not"
                            + " verify against the key it presented (" + detail + ")");
        }
        if (detail.contains("Auth fail") || detail.contains("Auth cancel")) {
            return new ConnectFailure(Outcome.AUTH_FAILED, "authentication as " + node.user() + " failed: " + detail);
        }
        return new ConnectFailure(Outcome.CONNECT_FAILED, detail);
    }

    private static String describe(Throwable e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage() != null
                ? cause.getMessage()
                : cause.getClass().getSimpleName();
        if (cause != e && e.getMessage() != null && !e.getMessage().contains(message)) {
            return e.getMessage() + ": " + message;
        }
        return e.getMessage() != null ? e.getMessage() : message;
    }
}

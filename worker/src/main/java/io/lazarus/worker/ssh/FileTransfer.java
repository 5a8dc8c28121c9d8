package io.lazarus.worker.ssh;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.SftpException;
import com.jcraft.jsch.SftpProgressMonitor;
import io.lazarus.common.contract.FileUpload;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.contract.ScriptEnvironment;
import io.lazarus.common.files.ContentException;
import io.lazarus.common.files.ContentStore;
import io.lazarus.common.files.Sha256;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Copies one file from the worker's store to the node over SFTP on the attempt's session, watched like a command: it
 * ends when the file is in place, when no byte moved for the stall timeout, at the command timeout or the node
 * deadline, when the session drops, or when the worker is stopping. The content goes to a temporary name beside its
 * place, is checked on the way out (size and digest of what was read from the store) and on the node
 * ({@code sha256sum}, else {@code shasum -a 256}), and only then is renamed into place: a file that does not match is
 * removed, never left where the script would find it.
 */
final class FileTransfer {

    private static final long MAX_PARK_NANOS = Duration.ofSeconds(1).toNanos();

    private final Connection connection;
    private final ContentStore store;
    private final Duration stall;
    private final Duration limit;
    private final Deadline node;

    FileTransfer(Connection connection, ContentStore store, Duration stall, Duration limit, Deadline node) {
        this.connection = connection;
        this.store = store;
        this.stall = stall;
        this.limit = limit;
        this.node = node;
    }

    /**
     * How one upload ended.
     *
     * @param leftSessionUnusable the watchdog tore the session down
     */
    record Sent(Outcome outcome, String detail, long bytes, long durationMs, boolean leftSessionUnusable) {}

    Sent send(FileUpload upload) {
        long started = System.nanoTime();
        ChannelSftp sftp;
        try {
            sftp = (ChannelSftp) connection.session().openChannel("sftp");
            sftp.connect(Durations.millis(node.cap(stall)));
        } catch (JSchException e) {
            return connection.isConnected()
                    ? ended(
                            started,
                            Outcome.COMMAND_FAILED,
                            "could not start SFTP on the node (is its sshd's sftp subsystem enabled?): "
                                    + e.getMessage(),
                            0,
                            false)
                    : ended(started, Outcome.DISCONNECTED, "session dropped: " + e.getMessage(), 0, true);
        }
        String temp = temporaryName(upload.remotePath());
        try {
            return send(upload, sftp, temp, started);
        } finally {
            sftp.disconnect();
        }
    }

    private Sent send(FileUpload upload, ChannelSftp sftp, String temp, long started) {
        MessageDigest digest = Sha256.digest();
        Watched put;
        try (InputStream content = new DigestInputStream(store.open(upload.sha256()), digest)) {
            put = watched(progress -> {
                sftp.put(content, temp, progress, ChannelSftp.OVERWRITE);
                sftp.chmod(upload.modeBits(), temp);
            });
        } catch (ContentException e) {
            return ended(started, Outcome.COMMAND_FAILED, e.getMessage(), 0, false);
        } catch (java.io.IOException e) {
            return ended(started, Outcome.COMMAND_FAILED, "cannot read the file store: " + e, 0, false);
        }
        if (put.ended() != null) {
            return failed(sftp, temp, started, put, "while sending it to " + temp);
        }
        String sent = Sha256.hex(digest);
        if (put.bytes() != upload.size() || !sent.equals(upload.sha256())) {
            removeQuietly(sftp, temp);
            return ended(
                    started,
                    Outcome.COMMAND_FAILED,
                    "the file store's copy of sha256 " + upload.sha256() + " changed while it was sent (" + put.bytes()
                            + " bytes with sha256 " + sent + "): not put in place",
                    put.bytes(),
                    false);
        }
        Sent checked = checkOnTheNode(upload, temp, started, put.bytes());
        if (checked != null) {
            if (!checked.leftSessionUnusable()) {
                removeQuietly(sftp, temp);
            }
            return checked;
        }
        Watched renamed = watched(progress -> {
            try {
                sftp.rename(temp, upload.remotePath());
            } catch (SftpException e) {
                // a server without posix-rename@openssh.com does not replace an existing file
                if (e.id != ChannelSftp.SSH_FX_FAILURE) {
                    throw e;
                }
                sftp.rm(upload.remotePath());
                sftp.rename(temp, upload.remotePath());
            }
        });
        if (renamed.ended() != null) {
            return failed(sftp, temp, started, renamed, "while moving it into place");
        }
        return ended(started, Outcome.SUCCEEDED, "", put.bytes(), false);
    }

    /** Null when the node computes the digest the message names; else how the upload ends. */
    private Sent checkOnTheNode(FileUpload upload, String temp, long started, long bytes) {
        OutputTail out = new OutputTail(512);
        OutputTail err = new OutputTail(512);
        String quoted = "'" + temp + "'"; // the path holds no quote: FileUpload admits none
        CommandRun run = new CommandExecution(
                        connection, false, out, err, AttemptOutput.discarded(), ScriptEnvironment.of(Map.of()))
                // a digest prints nothing until it is done, and a busy node takes long over a large file: the
                // command timeout and the node's deadline bound it, not the stall window (the 50-node benchmark
                // saw one node's check of 50 MB killed as STALLED after 90 s)
                .run("sha256sum -- " + quoted + " 2>/dev/null || shasum -a 256 -- " + quoted, limit, limit, node);
        if (run.outcome() != Outcome.SUCCEEDED) {
            String why = run.outcome() == Outcome.COMMAND_FAILED
                    ? "could not compute its sha256 on the node with sha256sum or shasum: " + run.detail()
                            + InstallAttempt.lastLine(err.text())
                    : "while computing its sha256 on the node: " + run.detail();
            return ended(started, run.outcome(), why, bytes, run.leftSessionUnusable());
        }
        String printed = out.text().strip();
        String onNode = printed.length() >= 64 ? printed.substring(0, 64) : printed;
        if (!onNode.equals(upload.sha256())) {
            return ended(
                    started,
                    Outcome.COMMAND_FAILED,
                    "sha256 on the node is " + (Sha256.isHex(onNode) ? onNode : "unreadable") + ", expected "
                            + upload.sha256() + ": not put in place",
                    bytes,
                    false);
        }
        return null;
    }

    private Sent failed(ChannelSftp sftp, String temp, long started, Watched call, String when) {
        if (!call.leftSessionUnusable()) {
            removeQuietly(sftp, temp);
        }
        return ended(started, call.ended(), when + ": " + call.detail(), call.bytes(), call.leftSessionUnusable());
    }

    /** An SFTP request, in the order JSch makes them, with the progress it reports. */
    @FunctionalInterface
    private interface SftpCall {
        void run(SftpProgressMonitor progress) throws SftpException;
    }

    /**
     * How a watched SFTP call ended: {@code ended} is null when it finished.
     *
     * @param leftSessionUnusable the watchdog tore the session down
     */
    private record Watched(Outcome ended, String detail, long bytes, boolean leftSessionUnusable) {}

    /**
     * Runs the call on a thread of its own and watches it from this one: JSch blocks in a write to a node that stopped
     * reading, and only closing the socket gets it out.
     */
    private Watched watched(SftpCall call) {
        Progress progress = new Progress(Thread.currentThread());
        long limitEnd = System.nanoTime() + limit.toNanos();
        Thread worker = Thread.ofVirtual().name("sftp-", 0).start(() -> {
            try {
                call.run(progress);
            } catch (SftpException | RuntimeException e) {
                progress.failure = e;
            } finally {
                progress.done = true;
                LockSupport.unpark(progress.watcher);
            }
        });
        Watched stopped = null;
        while (!progress.done && stopped == null) {
            long now = System.nanoTime();
            if (Thread.currentThread().isInterrupted()) {
                stopped = new Watched(Outcome.CANCELLED, "worker shutting down", progress.bytes, true);
            } else if (!connection.isConnected()) {
                stopped = new Watched(Outcome.DISCONNECTED, "session dropped", progress.bytes, true);
            } else if (now - progress.lastNanos >= stall.toNanos()) {
                stopped = new Watched(
                        Outcome.STALLED, "no byte moved for " + Durations.human(stall), progress.bytes, true);
            } else if (now - limitEnd >= 0) {
                stopped = new Watched(
                        Outcome.TIMED_OUT,
                        "still sending at its command timeout of " + Durations.human(limit),
                        progress.bytes,
                        true);
            } else if (node.expired()) {
                stopped = new Watched(Outcome.TIMED_OUT, "still sending at the node deadline", progress.bytes, true);
            } else {
                long next = Math.min(
                        stall.toNanos() - (now - progress.lastNanos), Math.min(limitEnd - now, node.endNanos() - now));
                LockSupport.parkNanos(progress, Math.max(1, Math.min(next, MAX_PARK_NANOS)));
            }
        }
        if (stopped != null) {
            connection.tearDown();
            worker.interrupt();
            return stopped;
        }
        if (progress.failure != null) {
            boolean dropped = !connection.isConnected();
            return new Watched(
                    dropped ? Outcome.DISCONNECTED : Outcome.COMMAND_FAILED,
                    describe(progress.failure),
                    progress.bytes,
                    dropped);
        }
        return new Watched(null, "", progress.bytes, false);
    }

    /** Stamped by JSch for every chunk it sends; the watcher parks on it. */
    private static final class Progress implements SftpProgressMonitor {
        final Thread watcher;
        volatile long lastNanos = System.nanoTime();
        volatile long bytes;
        volatile boolean done;
        volatile Exception failure;

        Progress(Thread watcher) {
            this.watcher = watcher;
        }

        @Override
        public void init(int op, String src, String dest, long max) {
            lastNanos = System.nanoTime();
        }

        @Override
        public boolean count(long count) {
            bytes += count;
            lastNanos = System.nanoTime();
            return true;
        }

        @Override
        public void end() {
            lastNanos = System.nanoTime();
        }
    }

    private static String describe(Exception e) {
        if (e instanceof SftpException sftp) {
            return switch (sftp.id) {
                case ChannelSftp.SSH_FX_NO_SUCH_FILE -> "no such directory on the node (" + sftp.getMessage() + ")";
                case ChannelSftp.SSH_FX_PERMISSION_DENIED ->
                    "permission denied on the node (" + sftp.getMessage() + "): the SSH user must be able to write"
                            + " the directory";
                default -> sftp.getMessage();
            };
        }
        return e.toString();
    }

    private static void removeQuietly(ChannelSftp sftp, String temp) {
        try {
            sftp.rm(temp);
        } catch (SftpException | RuntimeException ignored) {
            // best effort: the name is hidden and unique, and the attempt already says what went wrong
        }
    }

    /** A hidden name beside the file's place, unique to this upload: same directory, so the rename is atomic. */
    static String temporaryName(String remotePath) {
        int slash = remotePath.lastIndexOf('/');
        return remotePath.substring(0, slash + 1) + "." + remotePath.substring(slash + 1) + ".lazarus-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    private static Sent ended(long started, Outcome outcome, String detail, long bytes, boolean unusable) {
        return new Sent(outcome, detail, bytes, (System.nanoTime() - started) / 1_000_000, unusable);
    }
}

package io.lazarus.fleet;

import io.lazarus.fleet.Execution.Ending;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.session.ServerSession;

/** Answers an exec request the way the node's {@link NodeBehavior} says, on a virtual thread. */
final class SimulatedInstall implements Command {

    private final SimulatedNode node;
    private final String command;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private volatile boolean destroyed;
    private volatile Thread thread;

    SimulatedInstall(SimulatedNode node, String command) {
        this.node = node;
        this.command = command;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
        ServerSession session = channel.getServerSession();
        SimulatedNode.Run run = node.start(session.getUsername(), command);
        thread = Thread.ofVirtual().name("sim-" + node.id()).start(() -> {
            try {
                answer(run, session);
            } catch (InterruptedException | IOException e) {
                // destroy() interrupted us, or the channel closed under a write: the client tore it down
            } finally {
                run.end(Ending.TORN_DOWN);
            }
        });
    }

    private void answer(SimulatedNode.Run run, ServerSession session) throws InterruptedException, IOException {
        NodeBehavior behavior = run.answer();
        for (int line = 1; line <= behavior.outputLines(); line++) {
            write(out, "[%s] step %d/%d%n".formatted(node.id(), line, behavior.outputLines()));
            if (!behavior.outputInterval().isZero()) {
                Thread.sleep(behavior.outputInterval());
            }
        }
        switch (behavior.fault()) {
            case STALL_AFTER_OUTPUT -> new CountDownLatch(1).await(); // nothing counts down: only destroy() ends it
            case DROP_SESSION -> {
                run.end(Ending.DROPPED);
                session.close(true);
            }
            default -> {
                if (!behavior.stderr().isEmpty()) {
                    write(err, behavior.stderr());
                }
                if (!destroyed && run.end(Ending.EXITED)) {
                    exit.onExit(behavior.exitCode());
                }
            }
        }
    }

    private static void write(OutputStream stream, String text) throws IOException {
        stream.write(text.getBytes(StandardCharsets.UTF_8));
        stream.flush();
    }

    /** MINA calls this whenever the channel closes: after the exit status, or because the client went away first. */
    @Override
    public void destroy(ChannelSession channel) {
        destroyed = true;
        Thread running = thread;
        if (running != null) {
            running.interrupt();
        }
    }

    @Override
    public void setInputStream(InputStream in) {
        // installs read nothing from stdin
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }
}

package io.lazarus.fleet;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Answers an exec request the way the node's {@link NodeBehavior} says, on a virtual thread. */
final class SimulatedInstall implements Command {

    private final SimulatedNode node;
    private final String command;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private volatile Thread thread;

    SimulatedInstall(SimulatedNode node, String command) {
        this.node = node;
        this.command = command;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
        String user = channel.getSession().getUsername();
        thread = Thread.ofVirtual().name("sim-" + node.id()).start(() -> run(user));
    }

    private void run(String user) {
        NodeBehavior behavior = node.behavior();
        node.record(new Execution(user, command, Instant.now(), behavior.exitCode()));
        try {
            for (int line = 1; line <= behavior.outputLines(); line++) {
                write(out, "[%s] step %d/%d%n".formatted(node.id(), line, behavior.outputLines()));
                if (!behavior.outputInterval().isZero()) {
                    Thread.sleep(behavior.outputInterval());
                }
            }
            if (!behavior.stderr().isEmpty()) {
                write(err, behavior.stderr());
            }
            exit.onExit(behavior.exitCode());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away; nothing left to answer
        }
    }

    private static void write(OutputStream stream, String text) throws IOException {
        stream.write(text.getBytes(StandardCharsets.UTF_8));
        stream.flush();
    }

    @Override
    public void destroy(ChannelSession channel) {
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

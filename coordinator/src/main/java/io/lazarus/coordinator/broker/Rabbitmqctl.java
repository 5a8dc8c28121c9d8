package io.lazarus.coordinator.broker;

import io.lazarus.coordinator.dispatch.BrokerUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The users through the local {@code rabbitmqctl}, for a broker on this machine without the management plugin. */
final class Rabbitmqctl implements UserApplier {

    private final String executable;

    private Rabbitmqctl(String executable) {
        this.executable = executable;
    }

    /** The local rabbitmqctl, if it works and its node has {@code vhost}. */
    static Optional<Rabbitmqctl> working(String executable, String vhost) {
        Rabbitmqctl ctl = new Rabbitmqctl(executable);
        try {
            Result result = ctl.run(List.of("-q", "list_vhosts", "--no-table-headers"));
            return result.exitCode() == 0 && result.output().lines().anyMatch(vhost::equals)
                    ? Optional.of(ctl)
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public String describe() {
        return executable;
    }

    /**
     * One {@code import_definitions} from standard input for every user (one rabbitmqctl start instead of twenty;
     * nothing is written to a file the broker's user would have to read), then a look until the broker shows them.
     */
    @Override
    public void apply(BrokerUsers users) {
        try {
            Result imported = run(List.of("import_definitions"), Definitions.usersOnly(users));
            if (imported.exitCode() != 0) {
                throw new BrokerUnavailableException(
                        executable + " import_definitions failed (exit " + imported.exitCode() + "): "
                                + imported.output().strip(),
                        null);
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!applied(users)) {
                if (System.nanoTime() - until > 0) {
                    throw new BrokerUnavailableException(
                            "the broker did not show the users' permissions within 60s" + " after " + executable
                                    + " import_definitions",
                            null);
                }
                Thread.sleep(500);
            }
        } catch (IOException e) {
            throw new BrokerUnavailableException("cannot run " + executable + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted", e);
        }
    }

    /** Whether every user has its permissions in the vhost, as they were asked for (the import is asynchronous). */
    private boolean applied(BrokerUsers users) throws IOException {
        Result listed = run(List.of("-q", "list_permissions", "-p", users.vhost(), "--no-table-headers"), "");
        List<String> lines = listed.output().lines().toList();
        return listed.exitCode() == 0
                && users.users().stream().allMatch(u -> {
                    Permissions p = u.grant().permissions();
                    return lines.contains(String.join("\t", u.name(), p.configure(), p.write(), p.read()));
                });
    }

    private Result run(List<String> arguments) throws IOException {
        return run(arguments, null);
    }

    private Result run(List<String> arguments, String input) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(executable);
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (input == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process process = builder.start();
        if (input != null) {
            try (var stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(executable + " did not finish within 2 minutes");
            }
            return new Result(process.exitValue(), output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted", e);
        }
    }

    private record Result(int exitCode, String output) {}
}

package io.lazarus.coordinator.broker;

import io.lazarus.coordinator.BrokerUnavailableException;

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
            return result.exitCode() == 0 && result.output().lines().anyMatch(vhost::equals) ? Optional.of(ctl)
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public String describe() {
        return executable;
    }

    @Override
    public void apply(BrokerUsers users) {
        for (BrokerUser user : users.users()) {
            Result added = must(RabbitmqctlLines.addUser(user), true);
            if (added.exitCode() != 0) {
                must(RabbitmqctlLines.changePassword(user), false);
            }
            for (List<String> command : RabbitmqctlLines.grants(users.vhost(), user)) {
                must(command, false);
            }
        }
    }

    /** Runs a command; a failure is an error, except a user that exists when {@code userMayExist}. */
    private Result must(List<String> command, boolean userMayExist) {
        try {
            Result result = run(command);
            if (result.exitCode() == 0 || userMayExist && result.output().contains("already exists")) {
                return result;
            }
            throw new BrokerUnavailableException(executable + " " + command.getFirst() + " " + command.get(command.indexOf("--") + 1)
                    + " failed (exit " + result.exitCode() + "): " + result.output().strip(), null);
        } catch (IOException e) {
            throw new BrokerUnavailableException("cannot run " + executable + ": " + e.getMessage(), e);
        }
    }

    private Result run(List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(executable);
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
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

    private record Result(int exitCode, String output) {
    }
}

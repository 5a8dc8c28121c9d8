package io.lazarus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's {@code bash demo/run.sh --serve}, kept running as at a terminal ({@code DEMO_KEEP=1}): what it prints
 * is enough to sign in to the dashboard and find the run there, and Ctrl-C stops everything it started. The demo runs in
 * a network namespace of its own with only a fresh loopback ({@code unshare -n}, as {@link FreshMachineTest}), so it
 * starts its own broker and its ports meet nothing of this machine; the requests reach it through {@code nsenter}.
 */
class DemoDashboardTest {

    private static final Pattern DASHBOARD =
            Pattern.compile("(?m)^dashboard: (http://127\\.0\\.0\\.1:\\d+)/dashboard$");
    private static final Pattern TOKEN_FILE =
            Pattern.compile("(?m)^sign in with the service's token, kept in (\\S+): cat \\1$");
    private static final Pattern RUN = Pattern.compile("(?m)^this run on the dashboard: (\\S+)/dashboard/runs/(\\S+)$");
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final Path root = Repository.root();

    @TempDir
    Path temp;

    @Test
    void theReadmeShowsTheCommandAndTheLinesThisTestReads() throws Exception {
        String readme = Files.readString(root.resolve("README.md"));
        assertThat(readme).contains("`bash demo/run.sh --serve`");
        assertThat(DASHBOARD.matcher(readme).find()).as(DASHBOARD.pattern()).isTrue();
        assertThat(TOKEN_FILE.matcher(readme).find()).as(TOKEN_FILE.pattern()).isTrue();
        assertThat(RUN.matcher(readme).find()).as(RUN.pattern()).isTrue();
    }

    @Test
    void theDemoPrintsHowToSignInShowsItsRunOnTheDashboardAndCtrlCStopsEverything() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                        "unshare", "-n", "bash", "-c", "ip link set lo up && exec bash demo/run.sh --serve")
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("DEMO_NODES", "6");
        builder.environment().put("DEMO_KEEP", "1");
        // the registry of this test alone: another process of this machine may hold ~/.lazarus/registry open as an H2
        // server on a loopback this namespace cannot reach
        builder.environment()
                .put("LAZARUS_REGISTRY_DIRECTORY", temp.resolve("registry").toString());
        // and its service token; its broker logins are the demo's own business: nothing answers on 5672 in this
        // namespace, so the demo starts a broker for itself, and logins of that broker left in ~/.lazarus/broker would
        // be refused by this machine's broker at the operator's next lazarus command (checked below)
        builder.environment()
                .put("LAZARUS_SERVICE_TOKEN_FILE", temp.resolve("service-token").toString());
        builder.environment().remove("LAZARUS_BROKER_CREDENTIALS_DIRECTORY");
        Map<Path, Optional<FileTime>> operatorsFiles = operatorsFiles();
        Process demo = builder.start();
        Output output = new Output(demo);
        List<ProcessHandle> started = new ArrayList<>();
        try {
            boolean kept = output.awaitLine("press Ctrl-C to stop them", Duration.ofMinutes(6));
            assertThat(kept).as(output.text()).isTrue();
            // everything the demo started is running now: the broker, the fleet, the worker and the service
            demo.descendants().forEach(started::add);
            assertThat(started)
                    .as("the demo's processes")
                    .anyMatch(p -> command(p).contains("lazarus-coordinator.jar serve"))
                    .anyMatch(p -> command(p).contains("lazarus-worker.jar"))
                    .anyMatch(p -> command(p).contains("lazarus-fleet-sim.jar"));

            String printed = output.text();
            assertThat(printed).contains("exit code 1: as expected");
            String base = group(DASHBOARD, printed, 1);
            Path tokenFile = Path.of(group(TOKEN_FILE, printed, 1));
            assertThat(group(RUN, printed, 1)).isEqualTo(base);
            String runId = group(RUN, printed, 2);
            String token = Files.readString(tokenFile).strip();
            assertThat(printed).doesNotContain(token);
            assertThat(Files.readString(root.resolve("demo/target/service.log")))
                    .doesNotContain(token);

            Http http = new Http(demo.pid(), temp.resolve("cookies"));
            String form = http.get(base + "/dashboard/sign-in");
            String csrf = group(CSRF, form, 1);
            // the token goes from its file to the request body: never on a command line
            String runs = http.signIn(base + "/dashboard/sign-in", csrf, tokenFile);
            assertThat(runs).contains("data-run=\"" + runId + "\"");
            assertThat(http.get(base + "/dashboard/runs/" + runId)).contains(runId);
        } finally {
            if (demo.isAlive()) {
                new ProcessBuilder("kill", "-INT", Long.toString(demo.pid()))
                        .start()
                        .waitFor();
            }
            boolean ended = demo.waitFor(3, TimeUnit.MINUTES);
            if (!ended) {
                demo.descendants().forEach(ProcessHandle::destroyForcibly);
                demo.destroyForcibly();
            }
            output.join();
            assertThat(ended).as(output.text()).isTrue();
        }
        assertThat(demo.exitValue()).as(output.text()).isEqualTo(1);
        assertThat(output.text()).contains("stopping the service, the worker and the fleet");
        // a process that ended may take a moment to be reaped by init once its parent is gone
        Instant reaped = Instant.now().plusSeconds(5);
        while (started.stream().anyMatch(ProcessHandle::isAlive)
                && Instant.now().isBefore(reaped)) {
            Thread.sleep(100);
        }
        assertThat(started.stream().filter(ProcessHandle::isAlive).map(DemoDashboardTest::command))
                .as("what the demo started, still running after it ended")
                .isEmpty();
        assertThat(operatorsFiles())
                .as("the broker logins and service token in the home of whoever runs the tests")
                .isEqualTo(operatorsFiles);
        assertThat(root.resolve("demo/target/broker/coordinator.properties"))
                .as("the logins of the broker the demo started, kept in the demo's directory")
                .exists();
    }

    /** What a test run must leave alone in the home of whoever runs it: each file's modification time, if it exists. */
    private static Map<Path, Optional<FileTime>> operatorsFiles() throws IOException {
        Path lazarus = Path.of(System.getProperty("user.home"), ".lazarus");
        Map<Path, Optional<FileTime>> files = new TreeMap<>();
        for (String name : List.of(
                "broker/admin.properties",
                "broker/coordinator.properties",
                "broker/worker.properties",
                "broker/monitoring.properties",
                "service-token")) {
            Path file = lazarus.resolve(name);
            files.put(file, Files.exists(file) ? Optional.of(Files.getLastModifiedTime(file)) : Optional.empty());
        }
        return files;
    }

    private static String group(Pattern pattern, String text, int group) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as("%s in:%n%s", pattern, text).isTrue();
        return matcher.group(group);
    }

    private static String command(ProcessHandle process) {
        ProcessHandle.Info info = process.info();
        return info.commandLine().or(info::command).orElse("pid " + process.pid());
    }

    /** curl inside the demo's network namespace, with one cookie jar: a browser's session. */
    private record Http(long namespacePid, Path cookies) {

        String get(String url) throws IOException, InterruptedException {
            return curl(url);
        }

        /** Posts the sign-in form and follows its redirect, as a browser does. */
        String signIn(String url, String csrf, Path tokenFile) throws IOException, InterruptedException {
            return curl(
                    "--location", "--data-urlencode", "_csrf=" + csrf, "--data-urlencode", "token@" + tokenFile, url);
        }

        private String curl(String... arguments) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(
                    "nsenter",
                    "-t",
                    Long.toString(namespacePid),
                    "-n",
                    "curl",
                    "--silent",
                    "--show-error",
                    "--fail",
                    "--max-time",
                    "30",
                    "--cookie",
                    cookies.toString(),
                    "--cookie-jar",
                    cookies.toString()));
            command.addAll(List.of(arguments));
            Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
            String body = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(curl.waitFor()).as("%s:%n%s", command, body).isZero();
            return body;
        }
    }

    /** The demo's output as it comes, read on a thread of its own so that the demo never blocks on a full pipe. */
    private static final class Output {

        private final StringBuilder text = new StringBuilder();
        private final Thread reader;

        Output(Process process) {
            reader = Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader lines =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = lines.readLine()) != null; ) {
                        synchronized (text) {
                            text.append(line).append('\n');
                            text.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    synchronized (text) {
                        text.notifyAll();
                    }
                }
            });
        }

        String text() {
            synchronized (text) {
                return text.toString();
            }
        }

        /** Whether a line containing {@code fragment} came before the output ended or the time ran out. */
        boolean awaitLine(String fragment, Duration timeout) throws InterruptedException {
            Instant end = Instant.now().plus(timeout);
            synchronized (text) {
                while (text.indexOf(fragment) < 0 && reader.isAlive()) {
                    long left = Duration.between(Instant.now(), end).toMillis();
                    if (left <= 0) {
                        return false;
                    }
                    text.wait(Math.min(left, 1000));
                }
                return text.indexOf(fragment) >= 0;
            }
        }

        void join() throws InterruptedException {
            reader.join(Duration.ofSeconds(30));
        }
    }
}

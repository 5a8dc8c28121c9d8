package io.lazarus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's two set-up commands on a machine where nothing answers: {@code scripts/lib/services.sh} is tried in a
 * network namespace of its own with only a fresh loopback ({@code unshare -n}), so the broker and database of this
 * machine are neither seen nor touched.
 */
class FreshMachineTest {

    private final Path root = Repository.root();

    @Test
    void ciRunsExactlyTheReadmesTestCommand() throws Exception {
        String readme = Files.readString(root.resolve("README.md"));
        Matcher block = Pattern.compile("\\*\\*Run the tests\\*\\*.*?```sh\\n(.+?)\\n```", Pattern.DOTALL)
                .matcher(readme);
        assertThat(block.find()).as("README's 'Run the tests' command block").isTrue();
        String command = block.group(1).strip();

        List<String> ciLines = Files.readAllLines(root.resolve(".ci/run")).stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        assertThat(ciLines).contains(command);
        String demo = Pattern.compile("\\*\\*Run the main job\\*\\*.*?```sh\\n(.+?)\\n```", Pattern.DOTALL)
                .matcher(readme)
                .results()
                .findFirst()
                .orElseThrow()
                .group(1)
                .strip();
        assertThat(demo).isEqualTo("bash demo/run.sh");
    }

    /** Where nothing answers, a broker and a database are started for the command, answer, and are gone after it. */
    @Test
    void whereNothingAnswersTheCommandsStartABrokerAndADatabaseAndStopThem() throws Exception {
        String script = """
                set -euo pipefail
                ip link set lo up
                . scripts/lib/services.sh
                services_java
                trap services_stop EXIT
                answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && echo up || echo down; }
                echo "before: broker $(answers 5672) database $(answers 5432)"
                services_need_broker
                services_need_postgres
                echo "during: broker $(answers 5672) database $(answers 5432)"
                "$SERVICES_RABBITMQCTL" -q list_vhosts | grep -qx / && echo "broker: vhost / listed"
                services_as postgres psql -h 127.0.0.1 -U postgres -d test -Atc 'select 1' | grep -qx 1 && echo "database: test answers"
                dir=$SERVICES_DIR
                services_stop
                echo "after: broker $(answers 5672) database $(answers 5432) directory $([ -e "$dir" ] && echo kept || echo removed)"
                """;
        Process process = new ProcessBuilder("unshare", "-n", "bash", "-c", script)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .start();
        boolean ended = process.waitFor(4, TimeUnit.MINUTES);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ended) {
            process.destroyForcibly();
        }

        assertThat(ended).as(output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output)
                .contains(
                        "before: broker down database down",
                        "no RabbitMQ answers on 127.0.0.1:5672: starting node",
                        "no PostgreSQL answers on 127.0.0.1:5432: starting one",
                        "during: broker up database up",
                        "broker: vhost / listed",
                        "database: test answers",
                        "after: broker down database down directory removed");
    }
}

package io.lazarus.coordinator.cli;

import io.lazarus.coordinator.inventory.InventoryNode;
import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.registry.StoredReports;
import io.lazarus.coordinator.run.RunService;
import io.lazarus.coordinator.service.ServiceStarter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.springframework.context.support.GenericApplicationContext;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/** {@code lazarus run} with an Ansible inventory, on the real command tree, with a RunService that sends nothing. */
class RunCommandCliTest {

    @TempDir
    Path dir;

    private final RunService runs = mock(RunService.class);
    private final GenericApplicationContext context = new GenericApplicationContext();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream originalOut = System.out;
    private final PrintStream originalErr = System.err;
    private Path script;

    @BeforeEach
    void commandTree() throws Exception {
        context.registerBean(RunService.class, () -> runs);
        context.registerBean(RegistryStore.class, () -> mock(RegistryStore.class));
        context.registerBean(StoredReports.class, () -> mock(StoredReports.class));
        context.registerBean(ServiceStarter.class, () -> mock(ServiceStarter.class));
        context.refresh();
        script = Files.writeString(dir.resolve("install.sh"), "true\n");
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
        context.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAnsibleInventoryWithALimitIsDispatched() throws Exception {
        Path inventory = Files.writeString(dir.resolve("ansible.ini"), """
                [web]
                web[1:2].example.com ansible_user=deploy
                [db]
                db1.example.com:2222
                """);

        int exit = new Cli(context).execute("run", "--inventory", inventory.toString(), "--script", script.toString(),
                "--limit", "web");

        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        ArgumentCaptor<List<InventoryNode>> nodes = ArgumentCaptor.forClass(List.class);
        verify(runs).run(anyString(), nodes.capture(), anyString(), any(), any(), any());
        assertThat(nodes.getValue()).extracting(InventoryNode::id, InventoryNode::user, InventoryNode::port).containsExactly(
                tuple("web1.example.com", "deploy", 22), tuple("web2.example.com", "deploy", 22));
    }

    @Test
    void aBadAnsibleInventoryNamesFileAndLineAndExitsTwo() throws Exception {
        String stderr = refused("[web]\nweb1 ansible_password=hunter2\n", "web");

        assertThat(stderr).contains("lazarus: bad inventory:", dir.resolve("ansible.ini")
                + ":2: ansible_password is refused: Lazarus never takes secrets or keys from the inventory");
    }

    @Test
    void aLimitThatMatchesNothingIsNamedAndExitsTwo() throws Exception {
        assertThat(refused("[web]\nweb1\n", "web:!web1").strip())
                .isEqualTo("lazarus: --limit 'web:!web1' leaves no host of " + dir.resolve("ansible.ini"));
    }

    /** Runs with the inventory and limit, expects exit code 2 and nothing sent, and returns what was said. */
    private String refused(String inventoryText, String limit) throws Exception {
        Path inventory = Files.writeString(dir.resolve("ansible.ini"), inventoryText);

        int exit = new Cli(context).execute("run", "--inventory", inventory.toString(), "--script", script.toString(),
                "--limit", limit);

        assertThat(exit).isEqualTo(Cli.EXIT_USAGE);
        verify(runs, never()).connect();
        return err.toString(StandardCharsets.UTF_8);
    }
}

package io.lazarus.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import com.jcraft.jsch.Session;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator seen from a real SSH client. */
class SimulatedFleetTest {

    @TempDir
    static Path dir;

    static Path identity;
    static String publicKey;

    @BeforeAll
    static void clientKey() throws Exception {
        KeyPair pair = KeyPair.genKeyPair(new JSch(), KeyPair.ECDSA, 256);
        identity = dir.resolve("id_ecdsa");
        pair.writePrivateKey(identity.toString());
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        pair.writePublicKey(line, "test");
        publicKey = line.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eachNodeHasItsOwnAddressAndHostKeyAndRecordsWhatItRan() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.builder()
                .authorizedKey(publicKey)
                .nodes(2, NodeBehavior.succeed())
                .node("broken", NodeBehavior.aptFailure())
                .start()) {
            SimulatedNode first = fleet.nodes().get(0);
            SimulatedNode broken = fleet.node("broken");

            Result ok = exec(first, "echo install");
            Result failed = exec(broken, "apt-get install -y tomcat9");

            assertThat(ok.exit).isZero();
            assertThat(ok.stdout).contains("[node-0001] step 3/3");
            assertThat(failed.exit).isEqualTo(100);
            assertThat(failed.stderr).isEqualTo("E: Unable to locate package tomcat9\n");
            assertThat(first.executions()).singleElement().satisfies(e -> {
                assertThat(e.command()).isEqualTo("echo install");
                assertThat(e.user()).isEqualTo("deploy");
            });
            assertThat(fleet.nodes().get(1).executions()).isEmpty();
            assertThat(first.address())
                    .isNotEqualTo(fleet.nodes().get(1).address())
                    .startsWith("127.");
            assertThat(ok.hostKey).isNotEqualTo(failed.hostKey);
        }
    }

    @Test
    void faultsLookLikeTheRealThing() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.builder()
                .authorizedKey(publicKey)
                .node("refuses", NodeBehavior.refuseConnection())
                .node("silent", NodeBehavior.noBanner())
                .node("locked", NodeBehavior.rejectAuth())
                .start()) {

            assertThatThrownBy(() -> connect(fleet.node("refuses"))).isInstanceOf(ConnectException.class);
            try (Socket socket = connect(fleet.node("silent"))) {
                socket.setSoTimeout(300);
                assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            }
            assertThatThrownBy(() -> exec(fleet.node("locked"), "true"))
                    .isInstanceOf(JSchException.class)
                    .hasMessageContaining("Auth fail");
            assertThat(fleet.node("locked").executions()).isEmpty();
        }
    }

    @Test
    void writesAnInventoryOfItsNodes() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.builder()
                .authorizedKey(publicKey)
                .nodes(3, NodeBehavior.succeed())
                .start()) {
            Path inventory = fleet.writeInventory(dir.resolve("fleet.txt"), "deploy");

            assertThat(Files.readAllLines(inventory))
                    .hasSize(4)
                    .contains(fleet.nodes().get(2).inventoryLine("deploy"))
                    .last()
                    .asString()
                    .matches("deploy@127\\.\\d+\\.0\\.3:2222 name=node-0003");
        }
    }

    @Test
    void onASharedAddressEachNodeHasItsOwnPortAndIsNamedAsAdvertised() throws Exception {
        int base = 0;
        SimulatedFleet started = null;
        // four ports in a row below Linux's ephemeral range (32768 up), which the machine's own connections use
        for (int attempt = 0; started == null; attempt++) {
            base = 20_000 + ThreadLocalRandom.current().nextInt(12_000);
            try {
                started = SimulatedFleet.builder()
                        .authorizedKey(publicKey)
                        .sharedAddress("127.0.0.1", "localhost")
                        .port(base)
                        .node("ok", NodeBehavior.succeed())
                        .node("refuses", NodeBehavior.refuseConnection())
                        .node("silent", NodeBehavior.noBanner())
                        .node("broken", NodeBehavior.aptFailure())
                        .start();
            } catch (java.net.BindException taken) {
                if (attempt == 4) {
                    throw taken;
                }
            }
        }
        try (SimulatedFleet fleet = started) {

            Result ok = exec(fleet.node("ok"), "echo install");
            Result failed = exec(fleet.node("broken"), "apt-get install -y tomcat9");

            assertThat(fleet.nodes())
                    .extracting(SimulatedNode::port)
                    .containsExactly(base, base + 1, base + 2, base + 3);
            assertThat(fleet.nodes()).extracting(SimulatedNode::address).containsOnly("localhost");
            assertThat(ok.stdout).contains("[ok] step 3/3");
            assertThat(failed.exit).isEqualTo(100);
            assertThat(ok.hostKey).isNotEqualTo(failed.hostKey);
            assertThatThrownBy(() -> connect(fleet.node("refuses"))).isInstanceOf(ConnectException.class);
            try (Socket socket = connect(fleet.node("silent"))) {
                socket.setSoTimeout(300);
                assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            }
            assertThat(Files.readAllLines(fleet.writeInventory(dir.resolve("shared.txt"), "deploy")))
                    .contains("deploy@localhost:" + (base + 3) + " name=broken");
            assertThat(Files.readAllLines(fleet.writeKnownHosts(dir.resolve("shared_known_hosts"))))
                    .contains("[localhost]:" + base + " "
                            + PublicKeyEntry.toString(fleet.node("ok").advertisedHostKey()));
        }
    }

    private static Socket connect(SimulatedNode node) throws Exception {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(node.address(), node.port()), 1000);
        return socket;
    }

    private record Result(int exit, String stdout, String stderr, String hostKey) {}

    private static Result exec(SimulatedNode node, String command) throws Exception {
        JSch jsch = new JSch();
        jsch.addIdentity(identity.toString());
        Session session = jsch.getSession("deploy", node.address(), node.port());
        session.setConfig("StrictHostKeyChecking", "no");
        session.connect(5000);
        try {
            ChannelExec channel = (ChannelExec) session.openChannel("exec");
            channel.setCommand(command);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            channel.setOutputStream(out);
            channel.setErrStream(err);
            channel.connect(5000);
            while (!channel.isClosed()) {
                Thread.sleep(10);
            }
            return new Result(
                    channel.getExitStatus(),
                    out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8),
                    session.getHostKey().getKey());
        } finally {
            session.disconnect();
        }
    }
}

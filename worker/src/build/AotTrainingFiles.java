import com.jcraft.jsch.JSch;
import com.jcraft.jsch.KeyPair;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the worker's AOT-cache training start reads before its Spring context stops (worker/pom.xml): a throwaway SSH
 * key and an empty known_hosts. Run by the build as a source file on the worker's own libraries, so that it needs no
 * openssl or ssh-keygen.
 */
public class AotTrainingFiles {

    public static void main(String[] args) throws Exception {
        Path directory = Files.createDirectories(Path.of(args[0]));
        KeyPair key = KeyPair.genKeyPair(new JSch(), KeyPair.ECDSA, 256);
        key.writePrivateKey(directory.resolve("id_ecdsa").toString());
        key.dispose();
        Files.writeString(directory.resolve("known_hosts"), "");
    }
}

package io.lazarus.coordinator.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;

/** The version and build data (META-INF/build-info.properties, written by the build) for --version and version. */
final class Version implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        return build().toArray(String[]::new);
    }

    static List<String> build() {
        Properties info = buildInfo();
        String version = info.getProperty("build.version", "development build");
        return List.of(
                "lazarus " + version,
                "built " + info.getProperty("build.time", "from a source tree, not by the build"),
                "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ") at "
                        + System.getProperty("java.home"),
                "message schema version " + io.lazarus.common.contract.Contracts.SCHEMA_VERSION);
    }

    private static Properties buildInfo() {
        Properties info = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/META-INF/build-info.properties")) {
            if (in != null) {
                info.load(in);
            }
        } catch (IOException e) {
            // no build data: the lines say so
        }
        return info;
    }
}

package io.lazarus.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The JDK's AOT cache holds no class older than Java 6 (class file 50): picocli's own jar is built for Java 5. */
class PicocliClassVersionTest {

    @Test
    void picocliIsCompiledForAJavaWhoseClassesTheAotCacheHolds() throws IOException {
        try (InputStream classFile = CommandLine.class.getResourceAsStream("CommandLine.class")) {
            assertThat(ClassFile.of().parse(classFile.readAllBytes()).majorVersion())
                    .as("picocli.CommandLine's class file version (picocli/pom.xml compiles it)")
                    .isGreaterThanOrEqualTo(ClassFile.JAVA_6_VERSION);
        }
    }
}

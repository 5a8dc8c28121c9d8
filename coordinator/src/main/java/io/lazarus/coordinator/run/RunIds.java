package io.lazarus.coordinator.run;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Run ids that sort by time and read well in a CI log: {@code 20261121-113833-d2f423}. */
public final class RunIds {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private RunIds() {}

    public static String next() {
        byte[] random = new byte[3];
        ThreadLocalRandom.current().nextBytes(random);
        return ZonedDateTime.now(ZoneOffset.UTC).format(TIME) + "-"
                + HexFormat.of().formatHex(random);
    }
}

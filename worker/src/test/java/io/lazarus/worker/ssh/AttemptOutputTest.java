package io.lazarus.worker.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.OutputChunk;
import io.lazarus.common.contract.OutputStreamName;
import io.lazarus.worker.secrets.Masker;
import io.lazarus.worker.secrets.MaskingProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class AttemptOutputTest {

    private static final String SECRET = "Db-pass-0123456789-XYZ";
    private static final OutputProperties DEFAULTS = OutputProperties.defaults();

    private final List<OutputChunk> sent = new ArrayList<>();
    private final OutputSink sink = chunks -> sent.addAll(chunks);
    private final Masker masker = Masker.of(new MaskingProperties(List.of())).with(List.of(SECRET));

    @Test
    void everyByteOfBothStreamsArrivesInOrderInChunksOfAtMost64KiB() {
        AttemptOutput output = new AttemptOutput(masker, sink, DEFAULTS);
        Random random = new Random(7);
        StringBuilder stdout = new StringBuilder();
        StringBuilder stderr = new StringBuilder();
        for (int line = 0; stdout.length() < 200 * 1024; line++) {
            String text = "line " + line + " " + "x".repeat(random.nextInt(300)) + "\n";
            stdout.append(text);
            write(output, OutputStreamName.STDOUT, text);
            if (line % 50 == 0) {
                String warning = "warning " + line + "\n";
                stderr.append(warning);
                write(output, OutputStreamName.STDERR, warning);
            }
            output.flushIfDue();
        }
        sent.addAll(output.finish());

        assertThat(text(OutputStreamName.STDOUT)).isEqualTo(stdout.toString());
        assertThat(text(OutputStreamName.STDERR)).isEqualTo(stderr.toString());
        assertThat(sent).allSatisfy(c -> assertThat(c.bytes()).isLessThanOrEqualTo(AttemptOutput.CHUNK_BYTES));
        assertThat(sent.stream().map(OutputChunk::seq).toList())
                .as("one counter for both streams")
                .isEqualTo(java.util.stream.LongStream.range(0, sent.size())
                        .boxed()
                        .toList());
        assertThat(sent.size()).as("full chunks went while the script ran").isGreaterThan(3);
        long offset = 0;
        for (OutputChunk chunk :
                sent.stream().filter(c -> c.stream() == OutputStreamName.STDOUT).toList()) {
            assertThat(chunk.offset()).isEqualTo(offset);
            offset += chunk.bytes();
        }
        assertThat(output.dropped()).isZero();
    }

    @Test
    void aSecretSplitAcrossTwoWritesAtAChunkBoundaryIsStillMasked() {
        for (int before = AttemptOutput.CHUNK_BYTES - SECRET.length() - 2;
                before <= AttemptOutput.CHUNK_BYTES + 2;
                before++) {
            for (int split = 1; split < SECRET.length(); split += 7) {
                sent.clear();
                AttemptOutput output = new AttemptOutput(masker, sink, DEFAULTS);
                write(output, OutputStreamName.STDOUT, "a".repeat(before) + SECRET.substring(0, split));
                output.flushIfDue();
                write(output, OutputStreamName.STDOUT, SECRET.substring(split) + "b".repeat(70_000));
                output.flushIfDue();
                sent.addAll(output.finish());

                assertThat(text(OutputStreamName.STDOUT))
                        .as("secret after %d bytes, split at %d", before, split)
                        .isEqualTo("a".repeat(before) + Masker.MASK + "b".repeat(70_000));
            }
        }
    }

    @Test
    void aSecretSplitByTheFlushIntervalIsStillMasked() throws Exception {
        AttemptOutput output = new AttemptOutput(
                masker, sink, new OutputProperties(DataSize.ofMegabytes(8), Duration.ofMillis(100), 100));
        output.flushIfDue(); // the script's first watch: the interval counts from here
        write(output, OutputStreamName.STDERR, "the password is " + SECRET.substring(0, 9));
        Thread.sleep(120);
        output.flushIfDue();
        assertThat(sent).as("sent at the interval, its end held back").isNotEmpty();
        write(output, OutputStreamName.STDERR, SECRET.substring(9) + " indeed\n");
        Thread.sleep(120);
        output.flushIfDue();
        sent.addAll(output.finish());

        assertThat(text(OutputStreamName.STDERR)).isEqualTo("the password is **** indeed\n");
    }

    @Test
    void theFirstTimedFlushIsAnIntervalAfterTheScriptStartsHoweverLongTheSessionTook() throws Exception {
        AttemptOutput output = new AttemptOutput(
                masker, sink, new OutputProperties(DataSize.ofMegabytes(8), Duration.ofSeconds(1), 100));
        Thread.sleep(1100); // the attempt waited longer than the interval for its session
        write(output, OutputStreamName.STDOUT, "the script's first line\n");

        output.flushIfDue();
        assertThat(sent).as("nothing is due at the script's first watch").isEmpty();

        Thread.sleep(1100);
        output.flushIfDue();
        assertThat(sent)
                .as("an interval later (its end held back, as a secret's start might be)")
                .isNotEmpty();
        sent.addAll(output.finish());
        assertThat(text(OutputStreamName.STDOUT)).isEqualTo("the script's first line\n");
    }

    @Test
    void onABusyWorkerTimedFlushesWaitLongerButFullChunksGoAtOnce() throws Exception {
        OutputProperties tenASecond = new OutputProperties(DataSize.ofMegabytes(8), Duration.ofMillis(100), 10);
        OutputPace busy = new OutputPace(tenASecond);
        for (int i = 0; i < 5; i++) {
            busy.enter(); // five attempts at ten flushes a second: each every 0.5 s
        }
        AttemptOutput paced = new AttemptOutput(masker, sink, tenASecond, busy);
        List<OutputChunk> alone = new ArrayList<>();
        AttemptOutput unpaced = new AttemptOutput(masker, alone::addAll, tenASecond);
        String line = "a line longer than any secret, so that none of it is held back\n";
        paced.flushIfDue(); // the scripts' first watches: their intervals count from here
        unpaced.flushIfDue();
        write(paced, OutputStreamName.STDOUT, line);
        write(unpaced, OutputStreamName.STDOUT, line);

        Thread.sleep(150);
        paced.flushIfDue();
        unpaced.flushIfDue();
        assertThat(alone).as("alone, at the 100 ms interval").isNotEmpty();
        assertThat(sent).as("one of five, at 0.5 s").isEmpty();

        write(paced, OutputStreamName.STDOUT, "x".repeat(AttemptOutput.CHUNK_BYTES));
        paced.flushIfDue();
        assertThat(sent).as("a full chunk does not wait for the pace").isNotEmpty();
        int afterChunk = sent.size();
        write(paced, OutputStreamName.STDOUT, "line 3\n");
        Thread.sleep(550);
        paced.flushIfDue();
        assertThat(sent.size()).as("the rest at the paced interval").isGreaterThan(afterChunk);
        sent.addAll(paced.finish());
        assertThat(text(OutputStreamName.STDOUT)).isEqualTo(line + "x".repeat(AttemptOutput.CHUNK_BYTES) + "line 3\n");
    }

    @Test
    void aWholeLineGoesInOneChunkWhenItCanSoThatPatternsSeeIt() {
        AttemptOutput output = new AttemptOutput(Masker.of(MaskingProperties.defaults()), sink, DEFAULTS);
        String filler = "f".repeat(99) + "\n";
        StringBuilder expected = new StringBuilder();
        while (expected.length() < AttemptOutput.CHUNK_BYTES - 10) {
            expected.append(filler);
            write(output, OutputStreamName.STDOUT, filler);
        }
        write(output, OutputStreamName.STDOUT, "password=hunter2-long-enough\n");
        output.flushIfDue();
        sent.addAll(output.finish());

        assertThat(text(OutputStreamName.STDOUT)).isEqualTo(expected + "password=****\n");
    }

    @Test
    void multiByteCharactersSplitAcrossWritesAndChunksSurvive() {
        AttemptOutput output = new AttemptOutput(masker, sink, DEFAULTS);
        String text = "é€😀".repeat(30_000);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += 1000) {
            output.write(OutputStreamName.STDOUT, bytes, i, Math.min(1000, bytes.length - i));
            output.flushIfDue();
        }
        sent.addAll(output.finish());

        assertThat(text(OutputStreamName.STDOUT).equals(text)).isTrue();
    }

    @Test
    void beyondTheCapBytesAreCountedAndTheLogEndsWithALineSayingSo() {
        AttemptOutput output = new AttemptOutput(
                masker, sink, new OutputProperties(DataSize.ofBytes(1024), Duration.ofSeconds(1), 100));
        write(output, OutputStreamName.STDOUT, "o".repeat(1000));
        write(output, OutputStreamName.STDERR, "e".repeat(100));
        write(output, OutputStreamName.STDOUT, "o".repeat(500));
        sent.addAll(output.finish());

        assertThat(output.dropped()).isEqualTo(1600 - 1024);
        assertThat(text(OutputStreamName.STDOUT))
                .isEqualTo(
                        "o".repeat(1000)
                                + "\n[lazarus: output cap of 1024 bytes per attempt reached; 500 more bytes of stdout dropped]\n");
        assertThat(text(OutputStreamName.STDERR))
                .isEqualTo(
                        "e".repeat(24)
                                + "\n[lazarus: output cap of 1024 bytes per attempt reached; 76 more bytes of stderr dropped]\n");
    }

    @Test
    void outputThatCouldNotBeSentIsCountedAsDroppedAndNothingMoreIsSent() {
        AttemptOutput output = new AttemptOutput(masker, chunks -> false, DEFAULTS);
        write(output, OutputStreamName.STDOUT, "x".repeat(AttemptOutput.CHUNK_BYTES + 10));
        output.flushIfDue();
        write(output, OutputStreamName.STDOUT, "more");

        assertThat(output.finish()).isEmpty();
        assertThat(output.dropped()).isEqualTo(AttemptOutput.CHUNK_BYTES + 14);
    }

    @Test
    void aCharacterBoundaryNeverSplitsACharacter() {
        byte[] bytes = "a€".getBytes(StandardCharsets.UTF_8); // 1 + 3 bytes
        assertThat(AttemptOutput.characterBoundary(bytes, 4)).isEqualTo(4);
        assertThat(AttemptOutput.characterBoundary(bytes, 3)).isEqualTo(1);
        assertThat(AttemptOutput.characterBoundary(bytes, 2)).isEqualTo(1);
        assertThat(AttemptOutput.characterBoundary(bytes, 1)).isEqualTo(1);
    }

    private static void write(AttemptOutput output, OutputStreamName stream, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        output.write(stream, bytes, 0, bytes.length);
    }

    private String text(OutputStreamName stream) {
        return sent.stream()
                .filter(c -> c.stream() == stream)
                .map(OutputChunk::text)
                .collect(Collectors.joining());
    }
}

package io.lazarus.coordinator.inventory;

import static io.lazarus.coordinator.inventory.InventoryFixtures.ids;
import static io.lazarus.coordinator.inventory.InventoryFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What an inventory and a limit may cost: linear regexes, bounded lengths, bounded error messages. */
class InventoryBoundsTest {

    /** 100 nodes named with 120 a's: Java's backtracking regex takes seconds at 30 characters, hours at 60. */
    private static final String LONG_NAMES = String.join(
            "\n",
            IntStream.range(0, 100)
                    .mapToObj(i -> "10.0.%d.%d name=%s%03d".formatted(i / 250, i % 250 + 1, "a".repeat(120), i))
                    .toList());

    @Test
    void aCatastrophicRegexRunsInLinearTime() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThatThrownBy(() -> parse("hosts", LONG_NAMES, "~(.*a){10}X"))
                    .isInstanceOf(LimitException.class)
                    .hasMessageContaining("'~(.*a){10}X' matches no group or host");
            assertThat(parse("hosts", LONG_NAMES, "~(.*a){10}0[0-4]")).hasSize(50);
        });
    }

    @Test
    void aCatastrophicGlobRunsInLinearTime() {
        assertTimeoutPreemptively(
                Duration.ofSeconds(5),
                () -> assertThatThrownBy(() -> parse("hosts", LONG_NAMES, "*a*a*a*a*a*a*a*a*a*a*a*a*X"))
                        .isInstanceOf(LimitException.class));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ~(?=web)web        | uses lookaround
            ~web(?!-2)         | uses lookaround
            ~(?<=w)eb          | uses lookaround
            ~(w)\\1eb          | uses backreferences
            ~(?<x>w)\\k<x>eb   | uses backreferences
            ~web++             | is not a regular expression RE2 takes
            """)
    void unsupportedRegexSyntaxIsNamed(String limit, String message) {
        assertThatThrownBy(() -> parse("hosts", "web-1\nweb-2\n", limit))
                .isInstanceOf(LimitException.class)
                .hasMessageContaining(message);
    }

    @Test
    void anEscapedBackslashBeforeADigitIsNoBackreference() throws Exception {
        assertThat(ids(parse("hosts", "web-1\nweb-2\n", "~web.\\\\?1"))).containsExactly("web-1");
    }

    @Test
    void longRegexesAndLimitsAreRefusedBeforeTheyAreCompiled() {
        assertThatThrownBy(() -> parse("hosts", "web-1\n", "~" + "w".repeat(257)))
                .isInstanceOf(LimitException.class)
                .hasMessageContaining("is 257 characters long; a regex may have at most 256");
        assertThatThrownBy(() -> parse("hosts", "web-1\n", "web-1," + "x,".repeat(2100)))
                .isInstanceOf(LimitException.class)
                .hasMessage("limit is 4206 characters long, longer than the 4096 taken");
    }

    @Test
    void anErrorListsTheFirstHundredProblemsAndCountsTheRest() {
        String bad = String.join(
                "\n",
                IntStream.range(0, 100_000).mapToObj(i -> "web-" + i + ":x").toList());

        InventoryException e =
                org.junit.jupiter.api.Assertions.assertThrows(InventoryException.class, () -> parse("hosts", bad));

        assertThat(e.problems()).hasSize(100_000);
        List<String> listed = e.listed();
        assertThat(listed).hasSize(101);
        assertThat(listed.getFirst()).startsWith("hosts:1: ");
        assertThat(listed.get(99)).startsWith("hosts:100: ");
        assertThat(listed.getLast()).isEqualTo("... and 99,900 more");
        assertThat(e.getMessage()).hasLineCount(101).endsWith("... and 99,900 more");
    }

    @Test
    void aListedProblemQuotesAtMost500CharactersOfItsLine() {
        InventoryException e = org.junit.jupiter.api.Assertions.assertThrows(
                InventoryException.class, () -> parse("hosts", "web-1 " + "x".repeat(1_000_000)));

        assertThat(e.listed())
                .singleElement()
                .satisfies(problem -> assertThat(problem)
                        .hasSize(503)
                        .startsWith("hosts:1: expected key=value after the host, got 'xxx")
                        .endsWith("x..."));
    }

    @Test
    void aNodeThatWouldNotFitTheRegistryIsRefusedWithItsLine() {
        String host = String.join(".", "a".repeat(60), "b".repeat(60), "c".repeat(60), "d".repeat(60));
        String v6 = "fe80::1%" + "e".repeat(300);

        assertThatThrownBy(() -> parse("hosts", "web-1\nroot@" + host + ":2222\n"))
                .isInstanceOf(InventoryException.class)
                .hasMessageStartingWith("hosts:2: node id 'aaaa")
                .hasMessageContaining("is 248 characters long, longer than 128");
        assertThatThrownBy(() -> parse("hosts", "[" + v6 + "] name=v6\n"))
                .isInstanceOf(InventoryException.class)
                .hasMessageStartingWith("hosts:1: host 'fe80::1%eee")
                .hasMessageContaining("longer than 255 characters");
    }

    @Test
    void theDefaultUserIsCheckedLikeAnInventoryUser() {
        assertThat(NodeDefaults.isUser("deploy")).isTrue();
        assertThat(NodeDefaults.isUser("u".repeat(33))).isFalse();
        assertThat(NodeDefaults.isUser("root;rm")).isFalse();
        assertThat(NodeDefaults.isUser(null)).isFalse();
    }
}

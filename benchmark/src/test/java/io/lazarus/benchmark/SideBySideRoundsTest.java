package io.lazarus.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SideBySideRoundsTest {

    @Test
    void theMedianIsOfTheRoundsOwnRatiosNotOfTheMakespans() {
        SideBySideRounds rounds = new SideBySideRounds();
        rounds.lazarus(20.0);
        rounds.side("floor", "makespan / makespan", 10.0, 2.0);
        rounds.lazarus(17.0);
        rounds.side("floor", "makespan / makespan", 17.0, 1.0);
        rounds.lazarus(24.0);
        rounds.side("floor", "makespan / makespan", 20.0, 1.2);

        SideBySideRounds.Summary summary = rounds.summary();

        assertThat(summary.rounds()).isEqualTo(3);
        assertThat(summary.medianLazarusMakespanSeconds()).isEqualTo(20.0);
        SideBySideRounds.Side floor = summary.sides().getFirst();
        assertThat(floor.seconds()).containsExactly(10.0, 17.0, 20.0);
        // 20.0 / 17.0 of the median makespans would be 1.18: a round's ratio pairs runs a minute apart
        assertThat(floor.medianLazarusOver()).isEqualTo(1.2);
    }

    @Test
    void anEvenNumberOfRoundsTakesTheMeanOfTheMiddleTwo() {
        SideBySideRounds rounds = new SideBySideRounds();
        rounds.lazarus(20.0);
        rounds.side("pssh", "wall / wall", 40.0, 0.5);
        rounds.lazarus(20.0);
        rounds.side("pssh", "wall / wall", 30.0, 0.7);

        assertThat(rounds.summary().sides().getFirst().medianLazarusOver()).isEqualTo(0.6);
    }

    @Test
    void aClientBeforeAnyLazarusRunIsAMistakeInTheBenchmark() {
        assertThatThrownBy(() -> new SideBySideRounds().side("floor", "makespan / makespan", 10.0, 1.0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("starts with Lazarus");
    }

    @Test
    void thePrintedTableHasEveryRoundAndTheMedian() {
        SideBySideRounds rounds = new SideBySideRounds();
        rounds.lazarus(17.01);
        rounds.side("bareFloor", "makespan / makespan", 16.36, 1.04);
        rounds.lazarus(19.67);
        rounds.side("bareFloor", "makespan / makespan", 19.48, 1.00);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        rounds.print(new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("2 rounds", "round 1", "round 2", "17.01 s", "19.67 s", "16.36 s (1.04)", "19.48 s (1.00)")
                .contains("1.02   makespan / makespan");
    }
}

package io.lazarus.benchmark;

import java.util.Comparator;
import java.util.List;

/**
 * What one worker cost. Memory per in-flight session is (value at peak in flight - idle value) / peak in flight,
 * taken at the sample with the most messages in flight (the highest of those if several tie).
 *
 * @param peakRssMiB        {@code VmHWM}: the highest resident set since the worker started, its start included
 * @param peakSampledRssMiB the highest {@code VmRSS} sampled during the run
 * @param rssPerSessionUpperBoundKiB (highest sampled RSS - idle RSS) / peak in flight: messages reach their peak in
 *                          flight before their SSH sessions are up, so the RSS at that moment can understate
 * @param cpuSeconds CPU time the worker used while the run went on
 */
record WorkerResult(
        long pid,
        double idleRssMiB,
        double idleHeapMiB,
        double peakRssMiB,
        double peakSampledRssMiB,
        double peakHeapMiB,
        int peakInFlight,
        double rssAtPeakInFlightMiB,
        double heapAtPeakInFlightMiB,
        double rssPerSessionKiB,
        double heapPerSessionKiB,
        double rssPerSessionUpperBoundKiB,
        int peakThreads,
        double cpuSeconds,
        int unansweredSamples) {

    static WorkerResult of(long pid, String log, Sample idle, List<Sample> samples, double cpuSeconds) {
        List<Sample> answered = samples.stream().filter(Sample::answered).toList();
        if (answered.isEmpty()) {
            throw new IllegalStateException("worker " + pid + " answered no sample during the run; see " + log);
        }
        int peakInFlight = answered.stream().mapToInt(Sample::inFlight).max().orElseThrow();
        Sample atPeak = answered.stream()
                .filter(s -> s.inFlight() == peakInFlight)
                .max(Comparator.comparingLong(s -> s.memory().rssKb()))
                .orElseThrow();
        long peakHwm = samples.stream().mapToLong(s -> s.memory().hwmKb()).max().orElseThrow();
        long peakRss = samples.stream().mapToLong(s -> s.memory().rssKb()).max().orElseThrow();
        double peakHeap = answered.stream().mapToDouble(Sample::heapBytes).max().orElseThrow();
        int peakThreads =
                samples.stream().mapToInt(s -> s.memory().threads()).max().orElseThrow();
        double sessions = Math.max(1, peakInFlight);
        return new WorkerResult(
                pid,
                Numbers.mib(idle.memory().rssKb() * 1024.0),
                Numbers.mib(idle.heapBytes()),
                Numbers.mib(peakHwm * 1024.0),
                Numbers.mib(peakRss * 1024.0),
                Numbers.mib(peakHeap),
                peakInFlight,
                Numbers.mib(atPeak.memory().rssKb() * 1024.0),
                Numbers.mib(atPeak.heapBytes()),
                Numbers.round((atPeak.memory().rssKb() - idle.memory().rssKb()) / sessions),
                Numbers.round((atPeak.heapBytes() - idle.heapBytes()) / 1024 / sessions),
                Numbers.round((peakRss - idle.memory().rssKb()) / sessions),
                peakThreads,
                Numbers.round(cpuSeconds),
                samples.size() - answered.size());
    }
}

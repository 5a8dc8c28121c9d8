package io.lazarus.worker.ssh;

import io.lazarus.common.contract.Outcome;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * SSH connect, first-byte and command durations, as histograms; handshake latencies also to the observers (the
 * in-flight limit).
 */
@Component
public class SshMetrics {

    private final MeterRegistry registry;
    private final Timer connect;
    private final Timer firstByte;
    private final List<HandshakeObserver> observers;

    public SshMetrics(MeterRegistry registry, List<HandshakeObserver> observers) {
        this.registry = registry;
        this.observers = List.copyOf(observers);
        this.connect = Timer.builder("lazarus.ssh.connect")
                .description("SSH connect, handshake and authentication")
                .publishPercentileHistogram()
                .register(registry);
        this.firstByte = Timer.builder("lazarus.ssh.first-byte")
                .description("SSH connect to the node's first byte, its banner")
                .publishPercentileHistogram()
                .register(registry);
    }

    /** The interval between a running script's output messages, as the attempts in flight stretch it. */
    void outputPace(OutputPace pace) {
        Gauge.builder("lazarus.worker.output.flush.interval", pace, p -> p.intervalNanos() / 1e9)
                .description("Seconds between a running script's output messages: the flush interval, stretched so"
                        + " that the attempts in flight together send at most max-flushes-per-second")
                .baseUnit("seconds")
                .register(registry);
    }

    void handshakeGate(HandshakeGate gate) {
        Gauge.builder("lazarus.ssh.handshakes.active", gate, HandshakeGate::inProgress)
                .description("SSH handshakes in progress: at most lazarus.ssh.max-handshakes")
                .register(registry);
        Gauge.builder("lazarus.ssh.handshakes.waiting", gate, HandshakeGate::waiting)
                .description("Attempts waiting for a handshake slot before they connect")
                .register(registry);
    }

    void connected(Duration duration, Duration untilFirstByte) {
        connect.record(duration);
        if (untilFirstByte != null) {
            firstByte.record(untilFirstByte);
        }
        observers.forEach(o -> o.handshake(duration, untilFirstByte));
    }

    void commandFinished(Outcome outcome, Duration duration) {
        Timer.builder("lazarus.ssh.command")
                .description("One run of one script command")
                .tag("outcome", outcome.name())
                .publishPercentileHistogram()
                .register(registry)
                .record(duration);
    }
}

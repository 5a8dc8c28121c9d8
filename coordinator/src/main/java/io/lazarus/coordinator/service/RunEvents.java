package io.lazarus.coordinator.service;

import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.registry.RunRecord;
import io.lazarus.coordinator.status.RunView;
import io.lazarus.coordinator.status.RunViews;
import java.io.IOException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A run's server-sent events, for the API and the dashboard alike: a {@code progress} event with the run's counts every
 * second (without the reconciliation, which takes the whole report), then {@code end} with the full view. At most
 * {@code lazarus.service.max-event-streams} streams are open at once, of both together.
 */
@Component
@ConditionalOnProperty("lazarus.service.enabled")
public class RunEvents {

    private final RegistryStore registry;
    private final RunViews views;
    private final EventStreams streams;

    RunEvents(RegistryStore registry, RunViews views, EventStreams streams) {
        this.registry = registry;
        this.views = views;
        this.streams = streams;
    }

    /** The events of a run the caller found in the registry. */
    public SseEmitter stream(String runId) {
        streams.open();
        SseEmitter emitter = new SseEmitter(0L);
        try {
            Thread.ofVirtual().name("sse-" + runId).start(() -> {
                try {
                    while (true) {
                        RunRecord run = registry.run(runId).orElseThrow();
                        if (run.finishedAt() != null) {
                            RunView view = views.view(runId).orElseThrow();
                            emitter.send(SseEmitter.event().name("progress").data(view));
                            emitter.send(SseEmitter.event().name("end").data(view));
                            emitter.complete();
                            return;
                        }
                        emitter.send(SseEmitter.event().name("progress").data(views.progress(run)));
                        Thread.sleep(1000);
                    }
                } catch (IOException | RuntimeException gone) {
                    emitter.completeWithError(gone);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    emitter.complete();
                } finally {
                    streams.close();
                }
            });
        } catch (RuntimeException e) {
            streams.close();
            throw e;
        }
        return emitter;
    }
}

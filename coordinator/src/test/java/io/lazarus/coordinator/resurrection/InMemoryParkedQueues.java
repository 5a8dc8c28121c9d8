package io.lazarus.coordinator.resurrection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Parking queues in memory: a pass sees what a queue held when it began; what it holds goes back when it ends. */
final class InMemoryParkedQueues implements ParkedQueues {

    private final Map<String, List<ParkedMessage>> queues = new HashMap<>();
    private final List<ParkedMessage> acknowledged = new ArrayList<>();

    void park(String queue, ParkedMessage message) {
        queues.computeIfAbsent(queue, q -> new ArrayList<>()).add(message);
    }

    List<ParkedMessage> queue(String queue) {
        return queues.getOrDefault(queue, List.of());
    }

    List<ParkedMessage> acknowledged() {
        return acknowledged;
    }

    @Override
    public Pass open(String queue) {
        List<ParkedMessage> messages = queues.computeIfAbsent(queue, q -> new ArrayList<>());
        List<ParkedMessage> seen = new ArrayList<>(messages);
        messages.clear();
        List<ParkedMessage> held = new ArrayList<>();
        return new Pass() {
            private int next;

            @Override
            public ParkedMessage next() {
                return next < seen.size() ? seen.get(next++) : null;
            }

            @Override
            public void ack(ParkedMessage message) {
                acknowledged.add(message);
            }

            @Override
            public void hold(ParkedMessage message) {
                held.add(message);
            }

            @Override
            public void close() {
                // held, and taken but never dealt with: both go back, as a closed channel gives them back
                seen.stream()
                        .filter(m -> held.contains(m) || !acknowledged.contains(m))
                        .forEach(messages::add);
            }
        };
    }
}

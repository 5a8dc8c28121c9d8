package io.lazarus.coordinator.dashboard;

import io.lazarus.common.contract.NodeState;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** How a node state shows in the grid: a colour (its CSS class) and a symbol, so that no state is told by colour only. */
enum Mark {
    PENDING(NodeState.PENDING, "·"),
    RUNNING(NodeState.RUNNING, "▶"),
    SUCCEEDED(NodeState.SUCCEEDED, "✓"),
    FAILED(NodeState.FAILED, "✗"),
    DEAD_LETTERED(NodeState.DEAD_LETTERED, "☠"),
    QUARANTINED(NodeState.QUARANTINED, "Q"),
    GHOST(NodeState.GHOST, "?"),
    CANCELLED(NodeState.CANCELLED, "–");

    private final NodeState state;
    private final String symbol;

    Mark(NodeState state, String symbol) {
        this.state = state;
        this.symbol = symbol;
    }

    static Mark of(NodeState state) {
        return valueOf(state.name());
    }

    /** Every state's symbol by name, as JSON for the page's script (names and symbols need no escaping). */
    static String symbolsJson() {
        return Arrays.stream(values())
                .map(m -> "\"" + m.state.name() + "\":\"" + m.symbol + "\"")
                .collect(Collectors.joining(",", "{", "}"));
    }

    static Map<NodeState, Mark> byState() {
        return Arrays.stream(values()).collect(Collectors.toMap(m -> m.state, Function.identity()));
    }

    public NodeState state() {
        return state;
    }

    public String symbol() {
        return symbol;
    }

    public String cssClass() {
        return "s-" + state.name();
    }

    public String label() {
        return state.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}

package io.lazarus.coordinator.run;

import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.coordinator.inventory.InventoryNode;
import java.time.Instant;
import java.util.List;

/**
 * A run worked out but nothing of it recorded or sent yet: its options as the registry's history taught them, its
 * nodes in release order and one message each, bound to the run's deadline.
 */
public record PlannedRun(
        String runId,
        List<InventoryNode> nodes,
        String inventoryText,
        InstallScript script,
        RunOptions options,
        Instant deadline,
        List<InstallMessage> messages) {

    public PlannedRun {
        nodes = List.copyOf(nodes);
        messages = List.copyOf(messages);
    }
}

package io.lazarus.coordinator.registry;

import io.lazarus.common.contract.NodeState;

/** A node of a run as its books count it: its state, and whether its install message was released. */
record NodeTally(String nodeId, NodeState state, boolean released) {}

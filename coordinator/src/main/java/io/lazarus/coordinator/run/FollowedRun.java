package io.lazarus.coordinator.run;

import io.lazarus.common.contract.InstallScript;
import io.lazarus.coordinator.registry.Lease;
import java.time.Instant;

/**
 * One run as its follower sees it: what it installs, when it began and how long it may take.
 *
 * @param deadline no worker starts one of its nodes after this
 * @param lease    this follower's hold on the run: its writes are refused once another replica has taken it
 */
record FollowedRun(
        String runId, InstallScript script, Instant started, Instant deadline, RunOptions options, Lease lease) {

    /** The follower waits this long at most: a node started just before the deadline may take its node time. */
    Instant waitUntil() {
        return deadline.plus(options.maxNodeTime()).plus(options.ghostGrace());
    }
}

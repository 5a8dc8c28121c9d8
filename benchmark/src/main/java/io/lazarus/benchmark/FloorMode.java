package io.lazarus.benchmark;

import io.lazarus.benchmark.JschFloor.Channel;
import io.lazarus.benchmark.JschFloor.HostKeys;

/** The JSch floors {@code --floor} runs, in this order, and the result file's key for each. */
enum FloorMode {
    BARE(Channel.BARE, HostKeys.KNOWN_HOSTS_FILE, "bareFloor"),
    LIKE_THE_WORKER(Channel.LIKE_THE_WORKER, HostKeys.KNOWN_HOSTS_FILE, "floor"),
    LIKE_THE_WORKER_KEYS_IN_A_MAP(Channel.LIKE_THE_WORKER, HostKeys.MAP, "floorKeysInAMap");

    final Channel channel;
    final HostKeys hostKeys;
    final String resultKey;

    FloorMode(Channel channel, HostKeys hostKeys, String resultKey) {
        this.channel = channel;
        this.hostKeys = hostKeys;
        this.resultKey = resultKey;
    }
}

package io.lazarus.coordinator.run;

import java.util.Locale;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lazarus.run.*}: what one run may ask for, through the command line and the API alike.
 *
 * @param maxNodes the most nodes one run installs on; more is refused before anything is published or recorded
 */
@ConfigurationProperties("lazarus.run")
public record RunLimits(@DefaultValue("10000") int maxNodes) {

    public RunLimits {
        if (maxNodes < 1) {
            throw new IllegalArgumentException("lazarus.run.max-nodes must be 1 or more, was " + maxNodes);
        }
    }

    /** Why a run of {@code nodes} nodes is refused, if it is. */
    public Optional<String> refusal(int nodes) {
        return nodes <= maxNodes
                ? Optional.empty()
                : Optional.of(String.format(
                        Locale.ROOT,
                        "the run has %,d nodes, more than the %,d one run may have (lazarus.run.max-nodes): split it by --limit"
                                + " or groups",
                        nodes,
                        maxNodes));
    }
}

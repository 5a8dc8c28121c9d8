package io.lazarus.coordinator.request;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run as asked for: the options of {@code lazarus run}, the JSON body of {@code POST /api/runs} (and of its
 * preview), and what {@code run --server} sends the service. Unset values are null; {@link RunRequestValidator} checks
 * them and gives the defaults below, the same for every way in. A refused value is named as the component: the API
 * shows it as is ({@code stallTimeout}), the command line as its option ({@code --stall-timeout}).
 *
 * @param inventory       the inventory's text: plain, Ansible INI or Ansible YAML
 * @param script          the script's text
 * @param scriptName      shown in reports (default {@value #DEFAULT_SCRIPT_NAME})
 * @param limit           an Ansible host pattern, as {@code lazarus run --limit} takes it
 * @param resurrect       {@code auto}: the run resurrects its own candidates, after {@code resurrectDelay};
 *                        {@code off}
 * @param secrets         names of secrets the workers give the script as environment variables, as {@code --secret}
 * @param vars            the run's variables, as {@code --var} and {@code --vars-file}: a flat map whose values are
 *                        strings, numbers or booleans (the script sees {@code LAZARUS_VAR_<KEY>})
 * @param uploads         files copied to every node before the script runs, by digest: their content must be in the
 *                        file store already ({@code lazarus run --upload} puts it there)
 * @param order           the order nodes are released in: {@code inventory}, {@code history} (the default: those
 *                        that failed in passing lately first; as listed when none did) or {@code random}
 * @param learnedStall    learn each command's stall timeout from the registry's history of it (default: the
 *                        coordinator's {@code lazarus.history.learned-stall.enabled}, on)
 * @param inventorySource what inventory problems are reported against (the file of the command line); never sent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRequest(
        String inventory,
        String script,
        String scriptName,
        String user,
        Integer port,
        String limit,
        String deadline,
        String ghostGrace,
        Integer maxInFlight,
        String maxFailures,
        Integer canary,
        String connectTimeout,
        String authTimeout,
        String stallTimeout,
        Integer stallRetries,
        Boolean adaptiveStall,
        String commandTimeout,
        Integer commandAttempts,
        String nodeDeadline,
        String resurrect,
        String resurrectDelay,
        List<String> secrets,
        Map<String, Object> vars,
        List<io.lazarus.common.contract.FileUpload> uploads,
        String order,
        Boolean learnedStall,
        @JsonIgnore String inventorySource) {

    public static final String DEFAULT_SCRIPT_NAME = "install.sh";
    public static final String DEFAULT_USER = "root";
    public static final int DEFAULT_PORT = 22;
    public static final String DEFAULT_DEADLINE = "1h";
    public static final String DEFAULT_GHOST_GRACE = "1m";
    public static final String DEFAULT_RESURRECT = "off";
    public static final String DEFAULT_RESURRECT_DELAY = "30s";
    /** How often a followed run's progress is shown; the service keeps it for its followers. */
    public static final String DEFAULT_PROGRESS_INTERVAL = "2s";
    /** What inventory problems are reported against when the request names no source. */
    public static final String DEFAULT_INVENTORY_SOURCE = "inventory";

    public RunRequest {
        secrets = secrets == null ? null : List.copyOf(secrets);
        // not Map.copyOf: a null value is the validator's to refuse by name
        vars = vars == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(vars));
        uploads = uploads == null ? null : List.copyOf(uploads);
    }
}

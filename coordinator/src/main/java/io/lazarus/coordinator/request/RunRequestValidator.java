package io.lazarus.coordinator.request;

import io.lazarus.common.contract.FileUpload;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.InvalidField;
import io.lazarus.common.contract.RunVariables;
import io.lazarus.common.contract.SecretNames;
import io.lazarus.common.contract.Watchdog;
import io.lazarus.coordinator.files.Uploads;
import io.lazarus.coordinator.history.RunHistory;
import io.lazarus.coordinator.history.RunOrder;
import io.lazarus.coordinator.inventory.Inventories;
import io.lazarus.coordinator.inventory.InventoryException;
import io.lazarus.coordinator.inventory.LimitException;
import io.lazarus.coordinator.inventory.NodeDefaults;
import io.lazarus.coordinator.run.FlowControl;
import io.lazarus.coordinator.run.RunLimits;
import io.lazarus.coordinator.run.RunOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The rules of a {@link RunRequest}, written once for the command line and the API. A refused value is an
 * {@link InvalidField} named as the request's component; problems of the inventory's text are an
 * {@link InventoryException} listing them.
 */
@Component
public class RunRequestValidator {

    /** The registry's column (db/migration): a longer name is refused by name, never at the database. */
    static final int MAX_SCRIPT_NAME = 255;

    private final RunLimits limits;
    private final Uploads files;

    public RunRequestValidator(RunLimits limits, Uploads files) {
        this.limits = limits;
        this.files = files;
    }

    /** A run checked whole: its nodes, its script and how it is dispatched and followed. */
    public record ValidRun(Inventories.Selected selected, InstallScript install, RunOptions options) {}

    public ValidRun validate(RunRequest request) throws InventoryException {
        return new ValidRun(nodes(request), script(request), options(request));
    }

    /** The user and port of nodes that name none. */
    public NodeDefaults nodeDefaults(RunRequest request) {
        int port = request.port() == null ? RunRequest.DEFAULT_PORT : request.port();
        if (port < 1 || port > 65535) {
            throw new InvalidField("port", "must be 1..65535, was " + port);
        }
        String user = request.user() == null ? RunRequest.DEFAULT_USER : request.user();
        if (!NodeDefaults.isUser(user)) {
            throw new InvalidField(
                    "user", "'" + abbreviated(user) + "' is not a user name (" + NodeDefaults.USER_RULE + ")");
        }
        return new NodeDefaults(user, port);
    }

    /** The inventory's nodes the limit selects: at least one, and no more than a run may have. */
    public Inventories.Selected nodes(RunRequest request) throws InventoryException {
        NodeDefaults defaults = nodeDefaults(request);
        String text = required(request.inventory(), "inventory");
        String source =
                request.inventorySource() == null ? RunRequest.DEFAULT_INVENTORY_SOURCE : request.inventorySource();
        Inventories.Selected selected;
        try {
            selected = Inventories.select(source, text, defaults, request.limit());
        } catch (LimitException e) {
            // its one problem is a sentence about the limit: "limit 'web*' names no group or host"
            String problem = e.listed().getFirst();
            throw new InvalidField(
                    "limit", problem.startsWith("limit") ? problem.substring(5).strip() : problem);
        }
        if (selected.nodes().isEmpty()) {
            throw new InvalidField("inventory", "names no node");
        }
        limits.refusal(selected.nodes().size()).ifPresent(refusal -> {
            throw new InvalidField("inventory", "refused: " + refusal);
        });
        return selected;
    }

    public InstallScript script(RunRequest request) {
        String body = required(request.script(), "script");
        if (body.getBytes(StandardCharsets.UTF_8).length > InstallScript.MAX_COMMAND_BYTES) {
            throw new InvalidField(
                    "script",
                    "is larger than " + InstallScript.MAX_COMMAND_BYTES
                            + " bytes; ship large payloads with the script (curl, a package) instead of inside it");
        }
        String name = request.scriptName() == null || request.scriptName().isBlank()
                ? RunRequest.DEFAULT_SCRIPT_NAME
                : request.scriptName();
        if (name.length() > MAX_SCRIPT_NAME) {
            throw new InvalidField(
                    "scriptName", "is " + name.length() + " characters long, longer than " + MAX_SCRIPT_NAME);
        }
        return InstallScript.of(name, body);
    }

    /** How the run is dispatched and followed, as the service follows it: waited for, progress every 2s. */
    public RunOptions options(RunRequest request) {
        FlowControl flow = FlowControl.of(request.maxInFlight(), request.maxFailures(), request.canary());
        Duration nodeDeadline = duration(request.nodeDeadline(), "nodeDeadline");
        Watchdog watchdog = new Watchdog(
                duration(request.connectTimeout(), "connectTimeout"),
                duration(request.authTimeout(), "authTimeout"),
                duration(request.stallTimeout(), "stallTimeout"),
                request.stallRetries(),
                request.adaptiveStall(),
                duration(request.commandTimeout(), "commandTimeout"),
                request.commandAttempts(),
                nodeDeadline,
                null);
        return new RunOptions(
                true,
                RequestDurations.parse("deadline", orDefault(request.deadline(), RunRequest.DEFAULT_DEADLINE)),
                nodeDeadline != null ? nodeDeadline : RunOptions.WORKER_MAX_NODE_DEADLINE,
                watchdog,
                flow,
                RequestDurations.parse("ghostGrace", orDefault(request.ghostGrace(), RunRequest.DEFAULT_GHOST_GRACE)),
                RequestDurations.parse("progressInterval", RunRequest.DEFAULT_PROGRESS_INTERVAL),
                resurrectDelay(request),
                secrets(request),
                vars(request),
                uploads(request),
                new RunHistory(RunOrder.of(request.order()), request.learnedStall(), List.of()));
    }

    /** With {@code resurrect auto}, how long after its dead-lettering a node comes back; null with {@code off}. */
    private static Duration resurrectDelay(RunRequest request) {
        switch (orDefault(request.resurrect(), RunRequest.DEFAULT_RESURRECT)) {
            case "off" -> {
                if (request.resurrectDelay() != null) {
                    throw new InvalidField("resurrectDelay", "needs resurrect set to auto");
                }
                return null;
            }
            case "auto" -> {
                return RequestDurations.parse(
                        "resurrectDelay", orDefault(request.resurrectDelay(), RunRequest.DEFAULT_RESURRECT_DELAY));
            }
            default ->
                throw new InvalidField(
                        "resurrect", "must be auto or off, was '" + abbreviated(request.resurrect()) + "'");
        }
    }

    private static java.util.List<String> secrets(RunRequest request) {
        try {
            return SecretNames.validated(request.secrets());
        } catch (IllegalArgumentException e) {
            throw new InvalidField("secrets", "refused: " + e.getMessage());
        }
    }

    /** Uploads name their content by digest: the file store must hold each intact, or no node would get it. */
    private List<FileUpload> uploads(RunRequest request) {
        List<FileUpload> uploads = FileUpload.validated(request.uploads());
        try {
            files.requireStored(uploads);
        } catch (IllegalArgumentException e) {
            throw new InvalidField("uploads", "refused: " + e.getMessage());
        }
        return uploads;
    }

    /** A value is a string, or a number or a boolean as its text; each key and the whole map as the contract rules. */
    private static java.util.Map<String, String> vars(RunRequest request) {
        java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
        if (request.vars() != null) {
            request.vars().forEach((key, value) -> {
                if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                    throw new InvalidField(
                            "vars",
                            "refused: vars." + abbreviated(String.valueOf(key))
                                    + " must be a string, a number or a boolean: the variables are a flat map");
                }
                values.put(key, value.toString());
            });
        }
        try {
            return RunVariables.validated(values);
        } catch (InvalidField e) {
            throw new InvalidField("vars", "refused: " + e.getMessage());
        }
    }

    private static Duration duration(String value, String field) {
        return value == null ? null : RequestDurations.parse(field, value);
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static String required(String value, String field) {
        if (value == null) {
            throw new InvalidField(field, "is required");
        }
        if (value.isBlank()) {
            throw new InvalidField(field, "is empty");
        }
        return value;
    }

    /** A refusal may quote the value refused, and a value may be megabytes long. */
    static String abbreviated(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "... (" + value.length() + " characters)";
    }
}

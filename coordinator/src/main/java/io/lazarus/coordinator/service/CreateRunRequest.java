package io.lazarus.coordinator.service;

/**
 * {@code POST /api/runs}: the same inputs as {@code lazarus run}, as JSON. Only {@code inventory} and {@code script}
 * are required; durations read like the command line's ({@code 90s}, {@code 20m}, {@code PT1H}).
 *
 * @param inventory  the inventory's text: plain, Ansible INI or Ansible YAML
 * @param script     the script's text
 * @param scriptName shown in reports (default {@code install.sh})
 * @param resurrect  {@code auto}: the run resurrects its own candidates, after {@code resurrectDelay}; {@code off}
 * @param limit      an Ansible host pattern, as {@code lazarus run --limit} takes it
 * @param secrets    names of secrets the workers give the script as environment variables, as {@code --secret}
 * @param uploads    files copied to every node before the script runs, by digest: their content must already be in
 *                   the service's file store ({@code lazarus run --upload --server} puts it there)
 */
record CreateRunRequest(
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
        java.util.List<String> secrets,
        java.util.List<io.lazarus.common.contract.FileUpload> uploads) {}

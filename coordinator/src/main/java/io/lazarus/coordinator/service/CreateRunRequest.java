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
 * @param vars       the run's variables, as {@code --var}: an object of strings, numbers or booleans
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
        java.util.Map<String, tools.jackson.databind.JsonNode> vars) {}

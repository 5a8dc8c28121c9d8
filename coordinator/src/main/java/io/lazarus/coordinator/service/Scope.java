package io.lazarus.coordinator.service;

import java.util.Locale;

/** What an API token may do: {@code read} the runs, {@code submit} new ones, {@code operate} on existing ones. */
public enum Scope {
    READ,
    SUBMIT,
    OPERATE;

    /** The scope a request needs: reading for GET and HEAD, creating a run for {@code POST /api/runs}, operating otherwise. */
    static Scope required(String method, String path) {
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return READ;
        }
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return method.equals("POST") && (trimmed.equals("/api/runs") || trimmed.equals("/api/runs/preview"))
                ? SUBMIT
                : OPERATE;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}

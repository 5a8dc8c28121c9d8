package io.lazarus.coordinator.resurrection;

import java.util.Map;

/**
 * One message taken from a parking queue, as the broker gave it: its body may be what made it unreadable, so nothing
 * is parsed here.
 *
 * @param tag     the broker's delivery tag, for its pass to acknowledge or give back
 * @param headers as the broker gave them (its own death records included); empty when there were none
 */
public record ParkedMessage(long tag, String messageId, String contentType, Map<String, Object> headers, byte[] body) {

    public ParkedMessage {
        headers = headers == null ? Map.of() : headers;
    }
}

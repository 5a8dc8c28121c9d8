package io.lazarus.coordinator.broker;

/**
 * RabbitMQ's topic permission on one topic exchange: regular expressions over the routing keys a user may publish
 * with ({@code write}) and the binding keys it may bind with ({@code read}).
 */
public record TopicPermission(String exchange, String write, String read) {}

package io.lazarus.coordinator;

import io.lazarus.testkit.logging.LogPatternContract;

/** The coordinator's own log patterns write a line break inside a message as \n. */
class LogPatternTest extends LogPatternContract {}

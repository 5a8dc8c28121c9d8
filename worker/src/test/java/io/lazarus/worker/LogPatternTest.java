package io.lazarus.worker;

import io.lazarus.testkit.logging.LogPatternContract;

/** The worker's own log patterns write a line break inside a message as \n. */
class LogPatternTest extends LogPatternContract {}

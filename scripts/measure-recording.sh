#!/usr/bin/env bash
# A manual measurement, not part of the test suite, of the CPU the registry takes to record a run's events in batches
# of several sizes (coordinator/src/test/.../registry/RecordingBenchmark.java), on the JVM flags the lazarus launcher
# gives a command. No broker needed: an H2 file in a temporary directory.
#   bash scripts/measure-recording.sh                      # 5000 nodes; batches of 30, 100, 250, 500; 3 rounds each
#   bash scripts/measure-recording.sh 10000 250,500 2
#   bash scripts/measure-recording.sh 5000 250 3 scattered # the nodes end in an order of their own, as in a real run
set -euo pipefail
cd "$(dirname "$0")/.."
classpath=coordinator/target/recording-benchmark.classpath
./mvnw -B -q -pl coordinator -am test-compile dependency:build-classpath -Dlazarus.aot.skip \
  -Dmdep.outputFile="$PWD/$classpath" -Dmdep.includeScope=test
java_cmd=java
[ -n "${JAVA_HOME:-}" ] && java_cmd="$JAVA_HOME/bin/java"
exec "$java_cmd" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
  -cp "coordinator/target/test-classes:coordinator/target/classes:$(cat "$classpath")" \
  io.lazarus.coordinator.registry.RecordingBenchmark "$@"

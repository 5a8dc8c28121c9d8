#!/usr/bin/env bash
# A manual measurement, not part of the test suite, of what runs gain from the registry's history: the makespan of runs
# over a simulated fleet with 10% flaky nodes released in inventory order and in history order (lazarus run --order),
# and how soon stalling nodes are torn down with learned stall timeouts and without. Needs a RabbitMQ at
# LAZARUS_TEST_RABBIT_URI. Writes the numbers to system-tests/target/history-benchmark-*.txt.
#   bash scripts/measure-history.sh                                 # 100 nodes, 2 rounds of each order
#   LAZARUS_ORDER_BENCHMARK_NODES=200 LAZARUS_ORDER_BENCHMARK_ROUNDS=3 bash scripts/measure-history.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export LAZARUS_TEST_RABBIT_URI=${LAZARUS_TEST_RABBIT_URI:-amqp://guest:guest@127.0.0.1:5672}
./mvnw -B -q -pl system-tests -am verify -Dlazarus.aot.skip -Dtest=HistoryBenchmark \
  -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=none "$@"
cat system-tests/target/history-benchmark-*.txt

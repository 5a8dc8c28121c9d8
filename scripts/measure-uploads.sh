#!/usr/bin/env bash
# A manual measurement, not part of the test suite: one 50 MB file uploaded with lazarus run --upload to 50 nodes (one
# worker, one real sshd on loopback, the test broker), timed. Needs what scripts/test.sh needs (a RabbitMQ at
# LAZARUS_TEST_RABBIT_URI, OpenSSH's server) and about 2.5 GB free in /dev/shm. Prints the wall time and MB/s, and
# writes them to system-tests/target/upload-benchmark.txt.
#   bash scripts/measure-uploads.sh                      # 50 MB to 50 nodes
#   LAZARUS_UPLOAD_BENCHMARK_MB=10 LAZARUS_UPLOAD_BENCHMARK_NODES=20 bash scripts/measure-uploads.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export LAZARUS_TEST_RABBIT_URI=${LAZARUS_TEST_RABBIT_URI:-amqp://guest:guest@127.0.0.1:5672}
./mvnw -B -q -pl system-tests -am verify -Dlazarus.aot.skip -Dtest=UploadBenchmark \
  -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=none "$@"
cat system-tests/target/upload-benchmark.txt

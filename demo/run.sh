#!/usr/bin/env bash
# The whole system on one machine: builds the jars, starts a simulated fleet of SSH nodes on loopback addresses and
# one worker, installs demo/install.sh on every node through RabbitMQ, prints the summary and writes the reports.
# Needs: JDK 25 (JAVA_HOME), a RabbitMQ on localhost:5672 (or SPRING_RABBITMQ_* set), ssh-keygen.
set -euo pipefail
cd "$(dirname "$0")/.."
nodes=${DEMO_NODES:-50}
work=demo/target
mkdir -p "$work"
[ -n "${JAVA_HOME:-}" ] && export PATH="$JAVA_HOME/bin:$PATH"
# before Maven says "release version 25 not supported" or a jar says UnsupportedClassVersionError
major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1 || true)
if [ -z "$major" ] || [ "$major" -lt 25 ]; then
  echo "demo: needs JDK 25 or newer, found '${major:-no java}' ($(command -v java || echo 'not on PATH')): set JAVA_HOME" >&2
  exit 2
fi

[ -f coordinator/target/lazarus-coordinator.jar ] && [ -f worker/target/lazarus-worker.jar ] \
  && [ -f fleet-sim/target/lazarus-fleet-sim.jar ] || ./mvnw -B -q package -DskipTests

# Each component logs in as its own broker user (README "Broker users and permissions"): set up once per broker with the
# administrator login, kept in ~/.lazarus/broker, and applied again each time (it keeps the passwords). The run-signing
# key is made by the first run in ~/.lazarus, and the worker trusts it there (README "Security model").
./lazarus broker setup >"$work/broker-setup.log" 2>&1 || {
  cat "$work/broker-setup.log" >&2
  echo "demo: the broker's users could not be set up (see above); the demo needs them" >&2
  exit 3
}

[ -f "$work/id_ecdsa" ] || ssh-keygen -q -t ecdsa -b 256 -N '' -C lazarus-demo -f "$work/id_ecdsa"
rm -f "$work/known_hosts"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# the fleet writes the known_hosts of its nodes' keys; the worker verifies every key against it (strict), as images do
java -jar fleet-sim/target/lazarus-fleet-sim.jar --nodes "$nodes" --failing 2 --unreachable 1 \
  --authorized-key "$work/id_ecdsa.pub" --inventory "$work/fleet.txt" --known-hosts "$work/known_hosts" --user demo \
  > "$work/fleet.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do
  # the fleet says "serving" once its inventory and known_hosts are written in full
  grep -q '^serving' "$work/fleet.log" 2>/dev/null && break
  sleep 1
done
grep -q '^serving' "$work/fleet.log" || { echo "the fleet did not start; see $work/fleet.log" >&2; exit 1; }
SERVER_PORT=${DEMO_WORKER_PORT:-18080} LAZARUS_SSH_IDENTITY_FILE="$work/id_ecdsa" \
  LAZARUS_SSH_HOST_KEY_POLICY=strict LAZARUS_SSH_KNOWN_HOSTS="$work/known_hosts" LAZARUS_SSH_CONNECT_TIMEOUT=2s \
  java -jar worker/target/lazarus-worker.jar > "$work/worker.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:${DEMO_WORKER_PORT:-18080}/actuator/health/readiness" >/dev/null 2>&1 && break
  sleep 1
done
curl -fs "http://127.0.0.1:${DEMO_WORKER_PORT:-18080}/actuator/health/readiness" >/dev/null \
  || { echo "the worker did not start; see $work/worker.log" >&2; exit 1; }

set +e
./lazarus run --inventory "$work/fleet.txt" --script demo/install.sh --wait \
  --json "$work/report.json" --junit "$work/report.xml"
status=$?
set -e
echo "reports: $work/report.json $work/report.xml (exit code $status: the demo fleet has failing nodes on purpose)"
exit $status

#!/usr/bin/env bash
# The whole system on one machine: builds the jars, starts a simulated fleet of SSH nodes on loopback addresses and
# one worker, installs demo/install.sh on every node through RabbitMQ, prints the summary and writes the reports.
# Needs JDK 25. Uses the RabbitMQ on 127.0.0.1:5672 when one answers (or SPRING_RABBITMQ_* when set), else starts one
# for the demo and stops it afterwards (scripts/lib/services.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
nodes=${DEMO_NODES:-50}
work=demo/target
mkdir -p "$work"
SERVICES_CALLER=demo
. scripts/lib/services.sh
services_java

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  # the demo's own processes only: a broker started for the demo runs in the background too, until services_stop
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  services_stop
}
trap cleanup EXIT
services_need_programs ssh-keygen:openssh-client curl:curl
[ -n "${SPRING_RABBITMQ_HOST:-}${SPRING_RABBITMQ_ADDRESSES:-}" ] || services_need_broker

[ -f coordinator/target/lazarus-coordinator.jar ] && [ -f worker/target/lazarus-worker.jar ] \
  && [ -f fleet-sim/target/lazarus-fleet-sim.jar ] || ./mvnw -B -q package -DskipTests

# Each component logs in as its own broker user (README "Broker users and permissions"): set up once per broker with the
# administrator login, kept in ~/.lazarus/broker, and applied again each time (it keeps the passwords). The run-signing
# key is made by the first run in ~/.lazarus, and the worker trusts it there (README "Security model").
./lazarus broker setup ${SERVICES_RABBITMQCTL:+--rabbitmqctl "$SERVICES_RABBITMQCTL"} >"$work/broker-setup.log" 2>&1 || {
  cat "$work/broker-setup.log" >&2
  echo "demo: the broker's users could not be set up (see above); the demo needs them" >&2
  exit 3
}

[ -f "$work/id_ecdsa" ] || ssh-keygen -q -t ecdsa -b 256 -N '' -C lazarus-demo -f "$work/id_ecdsa"
rm -f "$work/known_hosts"

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
# the fleet has 2 nodes whose install fails and 1 that cannot be reached, on purpose: exit code 1 is the expected end
report=$(tr -d ' \n' <"$work/report.json" 2>/dev/null || true)
total=$(printf '%s' "$report" | grep -o '"total":[0-9]*' | head -1 | grep -o '[0-9]*$' || true)
succeeded=$(printf '%s' "$report" | grep -o '"states":{[^}]*}' | grep -o '"SUCCEEDED":[0-9]*' | grep -o '[0-9]*$' || true)
failing=$(( ${total:-0} - ${succeeded:-0} ))
case $status in
  1) if [ "$failing" -eq 3 ]; then
       outcome="as expected: the 3 nodes of the demo fleet that fail on purpose (2 failing installs, 1 unreachable) did not succeed, every other node did"
     else
       outcome="$failing node(s) did not succeed, where 3 fail on purpose: see the summary above"
     fi ;;
  0) outcome="every node succeeded, though 3 of the demo fleet are meant to fail" ;;
  2) outcome="bad usage or input (see above)" ;;
  3) outcome="RabbitMQ could not be reached or refused the run (see above)" ;;
  130) outcome="interrupted" ;;
  *) outcome="the coordinator failed (see above)" ;;
esac
echo "reports: $work/report.json $work/report.xml; exit code $status: $outcome"
exit $status

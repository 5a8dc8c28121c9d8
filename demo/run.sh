#!/usr/bin/env bash
# The whole system on one machine: builds the jars, starts a simulated fleet of SSH nodes on loopback addresses and
# one worker, installs demo/install.sh on every node through RabbitMQ, prints the summary and writes the reports.
# Needs JDK 25. Uses the RabbitMQ on 127.0.0.1:5672 when one answers (or SPRING_RABBITMQ_* when set), else starts one
# for the demo and stops it afterwards (scripts/lib/services.sh).
#
# bash demo/run.sh --serve (or DEMO_SERVE=1): the run goes through the service (lazarus-coordinator.jar serve) on
# DEMO_SERVICE_PORT (default 8080; /actuator on DEMO_SERVICE_MANAGEMENT_PORT, default 8081), and the demo prints the
# dashboard's address and where its sign-in token is. Then everything keeps running until Ctrl-C when standard input
# is a terminal, or stops at once when it is not (DEMO_KEEP=1 or 0 says which).
set -euo pipefail
cd "$(dirname "$0")/.."
nodes=${DEMO_NODES:-50}
serve=${DEMO_SERVE:-0}
for arg in "$@"; do
  case $arg in
    --serve) serve=1 ;;
    *) echo "demo: unknown argument '$arg': the one option is --serve (README \"Set up\")" >&2; exit 2 ;;
  esac
done
if [ -z "${DEMO_KEEP:-}" ]; then
  if [ -t 0 ]; then keep=1; else keep=0; fi
else
  keep=$DEMO_KEEP
fi
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
# a broker started for the demo alone ends with it: its logins stay in the demo's directory, where no later command
# offers them to another broker (~/.lazarus/broker keeps the logins of a broker that stays)
if [ -n "${SERVICES_RABBITMQCTL:-}" ]; then
  export LAZARUS_BROKER_CREDENTIALS_DIRECTORY="${LAZARUS_BROKER_CREDENTIALS_DIRECTORY:-$PWD/$work/broker}"
fi

[ -f coordinator/target/lazarus-coordinator.jar ] && [ -f worker/target/lazarus-worker.jar ] \
  && [ -f fleet-sim/target/lazarus-fleet-sim.jar ] || ./mvnw -B -q package -DskipTests

# Each component logs in as its own broker user (README "Broker users and permissions"): set up once per broker with the
# administrator login, kept in ~/.lazarus/broker (demo/target/broker for the demo's own broker), and applied again each
# time (it keeps the passwords). The run-signing key is made by the first run in ~/.lazarus, and the worker trusts it
# there (README "Security model").
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
# the worker as the README starts it: unpacked, from the AOT cache the build trained (half the start-up) with the flags
# it was trained with; the jar itself after a build that skipped the cache
worker=(-jar worker/target/lazarus-worker.jar)
if [ worker/target/worker/lazarus.aot -nt worker/target/lazarus-worker.jar ]; then
  worker=(-XX:+UseSerialGC -XX:+UseCompactObjectHeaders -XX:TieredStopAtLevel=1
    -XX:AOTCache=worker/target/worker/lazarus.aot '-Xlog:aot*=off,cds*=off' -jar worker/target/worker/lazarus-worker.jar)
fi
SERVER_PORT=${DEMO_WORKER_PORT:-18080} LAZARUS_SSH_IDENTITY_FILE="$work/id_ecdsa" \
  LAZARUS_SSH_HOST_KEY_POLICY=strict LAZARUS_SSH_KNOWN_HOSTS="$work/known_hosts" LAZARUS_SSH_CONNECT_TIMEOUT=2s \
  java "${worker[@]}" > "$work/worker.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:${DEMO_WORKER_PORT:-18080}/actuator/health/readiness" >/dev/null 2>&1 && break
  sleep 1
done
curl -fs "http://127.0.0.1:${DEMO_WORKER_PORT:-18080}/actuator/health/readiness" >/dev/null \
  || { echo "the worker did not start; see $work/worker.log" >&2; exit 1; }

# --serve: the service, logged in to the broker as the coordinator role like ./lazarus (the same credentials file),
# ready once it prints where its dashboard is; sets base (its address) and service_pid
start_service() {
  local port=${DEMO_SERVICE_PORT:-8080} management=${DEMO_SERVICE_MANAGEMENT_PORT:-8081} p
  for p in "$port" "$management"; do
    if services_port_open "$p"; then
      echo "demo: port $p is taken: set DEMO_SERVICE_PORT and DEMO_SERVICE_MANAGEMENT_PORT to free ones" >&2
      exit 2
    fi
  done
  SERVER_PORT=$port MANAGEMENT_SERVER_PORT=$management ./lazarus serve \
    > "$work/service.log" 2>&1 &
  service_pid=$!
  pids+=("$service_pid")
  for _ in $(seq 1 90); do
    grep -q '^dashboard on ' "$work/service.log" 2>/dev/null && break
    kill -0 "$service_pid" 2>/dev/null || break
    sleep 1
  done
  grep -q '^dashboard on ' "$work/service.log" || {
    tail -20 "$work/service.log" >&2
    echo "the service did not start; see $work/service.log" >&2
    exit 1
  }
  base=$(sed -n 's|^dashboard on \([a-z]*://[^ /]*\)/dashboard.*|\1|p' "$work/service.log" | head -1)
  # the service prints where its own token is (never the token); configured tokens are named instead
  local token_file
  token_file=$(sed -n 's/^API token (no token configured, all scopes): in //p' "$work/service.log" | head -1)
  echo "service: $base (log: $work/service.log)"
  echo "dashboard: $base/dashboard"
  if [ -n "$token_file" ]; then
    echo "sign in with the service's token, kept in $token_file: cat $token_file"
  else
    echo "sign in with one of the tokens configured for the service ($(sed -n 's/^API tokens: //p' "$work/service.log" | head -1))"
  fi
}

set +e
if [ "$serve" = 1 ]; then
  start_service
  # the run's id is the first line the command prints ("run ID"); its output goes on to the terminal as it comes
  ./lazarus run --server "$base" --inventory "$work/fleet.txt" --script demo/install.sh --wait \
    --json "$work/report.json" --junit "$work/report.xml" | tee "$work/run.log"
  status=${PIPESTATUS[0]}
else
  ./lazarus run --inventory "$work/fleet.txt" --script demo/install.sh --wait \
    --json "$work/report.json" --junit "$work/report.xml"
  status=$?
fi
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
if [ "$serve" = 1 ]; then
  run_id=$(sed -n 's/^run \([0-9A-Za-z-]*\)$/\1/p' "$work/run.log" | head -1)
  [ -z "$run_id" ] || echo "this run on the dashboard: $base/dashboard/runs/$run_id"
  if [ "$keep" = 1 ] && [ "$status" != 130 ] && kill -0 "$service_pid" 2>/dev/null; then
    echo "the service, the worker and the fleet keep running so that you can look around: press Ctrl-C to stop them"
    # Ctrl-C or a TERM ends the wait; the exit code stays the run's, and cleanup stops what the demo started
    stopping=
    trap 'stopping=1; printf "\nstopping the service, the worker and the fleet\n"' INT TERM
    wait "$service_pid" 2>/dev/null || true
    [ -n "$stopping" ] || echo "the service stopped on its own; see $work/service.log" >&2
  fi
fi
exit $status

# Sourced by demo/run.sh and scripts/test.sh: finds JDK 25 and makes sure what they need answers on loopback.
#
# A RabbitMQ on 127.0.0.1:5672 or a PostgreSQL on 127.0.0.1:5432 that already answers is used as it is and never
# touched. When none answers, one is started for this command only, in a directory of its own under /tmp (its own node
# name, data, logs and Erlang cookie), and stopped when the command ends: from the Debian packages (installed when
# running as root), else in a Docker container, else the command says what to install and exits 2.
#
# Callers: `services_java` first, then `services_need_*`, with `trap services_stop EXIT`.

SERVICES_STOPS=()
SERVICES_DIR=""
SERVICES_APT_UPDATED=false

services_say() { printf '%s: %s\n' "${SERVICES_CALLER:-lazarus}" "$*" >&2; }

# JDK 25: JAVA_HOME, else a JDK 25 under /usr/lib/jvm, else java on the PATH. Exits 2 with what to do.
services_java() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25* \
      "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    if [ "$("$candidate/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  services_say "needs a JDK 25 or newer (java and javac), found ${JAVA_HOME:-no JAVA_HOME} and $(java -version 2>&1 | head -1 || echo 'no java on the PATH')."
  services_say "Install one (Debian: apt-get install openjdk-25-jdk, or Temurin 25 from adoptium.net) and set JAVA_HOME to it."
  exit 2
}

services_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

services_root() { [ "$(id -u)" = 0 ]; }

# services_package PATH-OR-COMMAND PACKAGE: present, or installed with apt-get as root; returns 1 when neither.
services_package() {
  command -v "$1" >/dev/null 2>&1 || [ -x "$1" ] && return 0
  services_apt_update "$2" || return 1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null 2>&1 || return 1
  command -v "$1" >/dev/null 2>&1 || [ -x "$1" ]
}

# The package lists, read once per command, as root only; returns 1 where apt-get cannot run.
services_apt_update() {
  services_root && command -v apt-get >/dev/null 2>&1 || return 1
  if [ "$SERVICES_APT_UPDATED" = false ]; then
    services_say "apt-get update (for $1)"
    apt-get update -qq >/dev/null || return 1
    SERVICES_APT_UPDATED=true
  fi
}

services_docker() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

services_dir() {
  if [ -z "$SERVICES_DIR" ]; then
    SERVICES_DIR=$(mktemp -d /tmp/lazarus-services.XXXXXX)
    chmod 755 "$SERVICES_DIR"
  fi
}

# Runs "$@" as USER when this is root (the services refuse to run as root), else as this user.
services_as() {
  local user=$1
  shift
  if services_root; then runuser -u "$user" -- "$@"; else "$@"; fi
}

services_wait_port() { # PORT SECONDS
  local i
  for i in $(seq 1 "$2"); do
    services_port_open "$1" && return 0
    sleep 1
  done
  return 1
}

# The binaries the tests need besides the services: programs they start themselves.
services_need_programs() {
  local missing=() pair
  for pair in "$@"; do
    services_package "${pair%%:*}" "${pair##*:}" || missing+=("${pair##*:}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    services_say "missing ${missing[*]}: install them (Debian: sudo apt-get install ${missing[*]}), or run this as root, which installs them."
    exit 2
  fi
}

# promtool (Debian package prometheus): deployment-tests check and unit-test the alert rules with it. The package
# starts and enables a Prometheus server where an init system runs; one this installs is stopped and disabled at once,
# so that only the program stays. Without root and promtool the command says what to install and exits 2.
services_need_promtool() {
  command -v promtool >/dev/null 2>&1 && return 0
  if services_apt_update prometheus \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null 2>&1; then
    if [ -d /run/systemd/system ]; then
      systemctl disable --now prometheus >/dev/null 2>&1 || true
    elif [ -x /etc/init.d/prometheus ]; then
      invoke-rc.d prometheus stop >/dev/null 2>&1 || true
      update-rc.d prometheus disable >/dev/null 2>&1 || true
    fi
    command -v promtool >/dev/null 2>&1 && return 0
  fi
  services_say "missing promtool: install it (Debian: sudo apt-get install --no-install-recommends prometheus, then"
  services_say "sudo systemctl disable --now prometheus), or run this as root, which does both."
  exit 2
}

# kubectl with kustomize v5 (kubectl 1.27 or newer): deployment-tests render k8s/ with `kubectl kustomize`. Installed as
# root from the package kubernetes-client where the system's is that new; Debian 12's is 1.20 (kustomize v2, which
# cannot read the overlays' labels and components), so there the command says what to install and exits 2.
services_need_kustomize() {
  services_kustomize_v5 && return 0
  local candidate=""
  if ! command -v kubectl >/dev/null 2>&1 && services_apt_update kubernetes-client; then
    candidate=$(apt-cache policy kubernetes-client 2>/dev/null | sed -n 's/^ *Candidate: \([0-9].*\)/\1/p')
    if [ -n "$candidate" ] && dpkg --compare-versions "$candidate" ge 1.27; then
      services_package kubectl kubernetes-client && services_kustomize_v5 && return 0
    fi
  fi
  local found
  found=$(kubectl version --client -o json 2>/dev/null | sed -n 's/.*"gitVersion": *"\([^"]*\)".*/kubectl \1/p' || true)
  services_say "the deployment tests need kubectl 1.27 or newer (kustomize v5); found ${found:-no kubectl}${candidate:+ (package kubernetes-client: $candidate)}."
  services_say "Install kubectl from the Kubernetes project's packages (Debian 12's kubernetes-client, 1.20, is too old)."
  exit 2
}

services_kustomize_v5() {
  kubectl version --client -o json 2>/dev/null | grep -Eq '"kustomizeVersion": *"v([5-9]|[1-9][0-9])\.'
}

# A RabbitMQ on 127.0.0.1:5672 with the administrator login guest/guest. Sets SERVICES_RABBITMQCTL when it started one.
services_need_broker() {
  services_port_open 5672 && return 0
  if services_package /usr/lib/rabbitmq/bin/rabbitmq-server rabbitmq-server; then
    services_start_rabbitmq
  elif services_docker; then
    services_say "no RabbitMQ answers on 127.0.0.1:5672: starting one in Docker for this command"
    local name="lazarus-rabbitmq-$$"
    docker run -d --rm --name "$name" -p 127.0.0.1:5672:5672 rabbitmq:3 >/dev/null
    SERVICES_STOPS+=("docker rm -f $name")
    services_dir
    mkdir -p "$SERVICES_DIR/bin"
    printf '#!/bin/sh\nexec docker exec -i %s rabbitmqctl "$@"\n' "$name" >"$SERVICES_DIR/bin/rabbitmqctl"
    chmod 755 "$SERVICES_DIR/bin/rabbitmqctl"
    SERVICES_RABBITMQCTL="$SERVICES_DIR/bin/rabbitmqctl"
    services_wait_port 5672 90 && sleep 3 || { services_say "the RabbitMQ container did not answer on 5672 in 90 s"; exit 3; }
  else
    services_say "no RabbitMQ answers on 127.0.0.1:5672, and none can be started here: not root (to apt-get install rabbitmq-server) and no Docker."
    services_say "Start one (Debian: sudo apt-get install rabbitmq-server; or docker run -d -p 127.0.0.1:5672:5672 rabbitmq:3), or run this as root."
    exit 2
  fi
}

services_start_rabbitmq() {
  services_dir
  local base="$SERVICES_DIR/rabbitmq" node="lazarus-$$@localhost" cookie
  cookie=$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
  mkdir -p "$base/mnesia" "$base/log"
  printf 'listeners.tcp.default = 127.0.0.1:5672\nloopback_users.guest = true\n' >"$base/rabbitmq.conf"
  : >"$base/enabled_plugins"
  printf '%s' "$cookie" >"$base/.erlang.cookie"
  chmod 400 "$base/.erlang.cookie"
  services_root && chown -R rabbitmq:rabbitmq "$base"
  local env=(HOME="$base" RABBITMQ_NODENAME="$node" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=5672
    RABBITMQ_DIST_PORT=25699 RABBITMQ_CONFIG_FILE="$base/rabbitmq.conf" RABBITMQ_CONF_ENV_FILE="$base/rabbitmq-env.conf"
    RABBITMQ_ENABLED_PLUGINS_FILE="$base/enabled_plugins" RABBITMQ_MNESIA_BASE="$base/mnesia"
    RABBITMQ_LOG_BASE="$base/log" RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}")
  local epmd_running=false
  services_port_open 4369 && epmd_running=true
  services_say "no RabbitMQ answers on 127.0.0.1:5672: starting node $node for this command (data and logs in $base)"
  services_as rabbitmq env "${env[@]}" /usr/lib/rabbitmq/bin/rabbitmq-server >"$base/log/console.log" 2>&1 &
  # a rabbitmqctl that speaks to this node, for `lazarus broker setup --rabbitmqctl` and first on the tests' PATH
  mkdir -p "$SERVICES_DIR/bin"
  cat >"$SERVICES_DIR/bin/rabbitmqctl" <<EOF
#!/bin/sh
exec $( services_root && echo "runuser -u rabbitmq --" ) env HOME="$base" /usr/lib/rabbitmq/bin/rabbitmqctl -n "$node" --erlang-cookie "$cookie" "\$@"
EOF
  chmod 755 "$SERVICES_DIR/bin/rabbitmqctl"
  SERVICES_RABBITMQCTL="$SERVICES_DIR/bin/rabbitmqctl"
  # stopped newest first: the node, then the epmd it started; shutdown (unlike stop) returns once the node's
  # process has exited, so nothing of it outlives the command
  [ "$epmd_running" = true ] || SERVICES_STOPS+=("services_stop_epmd")
  SERVICES_STOPS+=("$SERVICES_RABBITMQCTL shutdown")
  if ! services_wait_port 5672 120; then
    services_say "RabbitMQ did not start; its console:"
    tail -20 "$base/log/console.log" >&2
    exit 3
  fi
  "$SERVICES_RABBITMQCTL" await_startup --timeout 60 >/dev/null 2>&1 || true
}

# the epmd the node started, through its port in this network namespace (never another namespace's, unlike pkill)
services_stop_epmd() {
  local epmd
  epmd=$(command -v epmd || ls /usr/lib/erlang/erts-*/bin/epmd 2>/dev/null | head -1)
  [ -n "$epmd" ] && "$epmd" -kill >/dev/null 2>&1 || true
}

# A PostgreSQL on 127.0.0.1:5432 with a database `test` that the login postgres/postgres may use.
services_need_postgres() {
  if services_port_open 5432; then
    return 0
  fi
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$bin" ] && services_package pg_ctlcluster postgresql; then
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  fi
  if [ -n "$bin" ]; then
    services_dir
    local data="$SERVICES_DIR/postgres"
    mkdir -p "$data"
    services_root && chown postgres:postgres "$data"
    services_say "no PostgreSQL answers on 127.0.0.1:5432: starting one for this command (data in $data)"
    services_as postgres "$bin/initdb" -D "$data/data" -U postgres -A trust --no-sync >"$data/initdb.log" 2>&1 \
      || { services_say "initdb failed:"; tail -5 "$data/initdb.log" >&2; exit 3; }
    services_as postgres "$bin/pg_ctl" -D "$data/data" -l "$data/postgres.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p 5432 -k $data -c fsync=off" start >/dev/null \
      || { services_say "PostgreSQL did not start:"; tail -5 "$data/postgres.log" >&2; exit 3; }
    SERVICES_STOPS+=("services_as postgres $bin/pg_ctl -D $data/data -m fast -w stop")
    services_as postgres "$bin/createdb" -h 127.0.0.1 -U postgres test
  elif services_docker; then
    services_say "no PostgreSQL answers on 127.0.0.1:5432: starting one in Docker for this command"
    local name="lazarus-postgres-$$"
    docker run -d --rm --name "$name" -e POSTGRES_PASSWORD=postgres -e POSTGRES_DB=test -p 127.0.0.1:5432:5432 \
      postgres:16 >/dev/null
    SERVICES_STOPS+=("docker rm -f $name")
    services_wait_port 5432 90 && sleep 3 || { services_say "the PostgreSQL container did not answer on 5432 in 90 s"; exit 3; }
  else
    services_say "no PostgreSQL answers on 127.0.0.1:5432, and none can be started here: not root (to apt-get install postgresql) and no Docker."
    services_say "Start one with a database test (Debian: sudo apt-get install postgresql; or docker run -d -p 127.0.0.1:5432:5432 -e POSTGRES_PASSWORD=postgres -e POSTGRES_DB=test postgres:16), or run this as root."
    exit 2
  fi
}

# Stops what this command started, newest first; safe to call twice.
services_stop() {
  local i
  for ((i = ${#SERVICES_STOPS[@]} - 1; i >= 0; i--)); do
    eval "${SERVICES_STOPS[$i]}" >/dev/null 2>&1 || true
  done
  SERVICES_STOPS=()
  if [ -n "$SERVICES_DIR" ]; then
    rm -rf "$SERVICES_DIR"
    SERVICES_DIR=""
  fi
}

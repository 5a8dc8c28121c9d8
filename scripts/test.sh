#!/usr/bin/env bash
# The test suite, on any Debian machine with JDK 25: makes sure of what the tests need, runs them, and stops what it
# started. A RabbitMQ (127.0.0.1:5672, guest/guest) and a PostgreSQL (127.0.0.1:5432, database test) that answer are
# used as they are; missing ones are started for this command only (scripts/lib/services.sh). The tests start their
# own sshd and RabbitMQ nodes (a three-node cluster among them, on loopback), so they need OpenSSH's server and
# RabbitMQ's scripts installed, and openssl; the benchmark's smoke test runs parallel-ssh (Debian package pssh) beside
# Lazarus; the deployment tests render k8s/ with kubectl 1.27 or newer (kustomize v5); they check the alert rules
# with promtool (package prometheus, its server stopped and disabled).
# Arguments go to Maven: bash scripts/test.sh -pl worker -am
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICES_CALLER=test
. scripts/lib/services.sh
services_java
trap services_stop EXIT
services_need_programs /usr/sbin/sshd:openssh-server ssh-keygen:openssh-client openssl:openssl \
  parallel-ssh:pssh zsh:zsh /usr/lib/rabbitmq/bin/rabbitmq-server:rabbitmq-server \
  chromium:chromium chromedriver:chromium-driver
services_need_kustomize
services_need_promtool
services_need_broker
services_need_postgres
# tests that set up broker users through the local rabbitmqctl reach a broker started here through its own
if [ -n "${SERVICES_RABBITMQCTL:-}" ]; then export PATH="$(dirname "$SERVICES_RABBITMQCTL"):$PATH"; fi
echo "test: $(java -version 2>&1 | head -1) at $JAVA_HOME; broker 127.0.0.1:5672, PostgreSQL 127.0.0.1:5432" >&2

export LAZARUS_TEST_RABBIT_URI=${LAZARUS_TEST_RABBIT_URI:-amqp://guest:guest@127.0.0.1:5672}
export LAZARUS_TEST_POSTGRES_URL=${LAZARUS_TEST_POSTGRES_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres&password=postgres}
./mvnw -B verify "$@"

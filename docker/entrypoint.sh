#!/bin/sh
# Runs the image's jar with $JAVA_OPTS. The API token and the broker password may come as files (docker or Kubernetes
# secrets): LAZARUS_SERVICE_API_TOKEN_FILE=/run/secrets/api_token sets LAZARUS_SERVICE_API_TOKEN, for `serve` and
# `run --server`; SPRING_RABBITMQ_PASSWORD_FILE sets SPRING_RABBITMQ_PASSWORD, the role user's password.
set -eu
if [ -n "${LAZARUS_SERVICE_API_TOKEN_FILE:-}" ]; then
  LAZARUS_SERVICE_API_TOKEN=$(cat "$LAZARUS_SERVICE_API_TOKEN_FILE")
  export LAZARUS_SERVICE_API_TOKEN
  unset LAZARUS_SERVICE_API_TOKEN_FILE
fi
if [ -n "${SPRING_RABBITMQ_PASSWORD_FILE:-}" ]; then
  SPRING_RABBITMQ_PASSWORD=$(cat "$SPRING_RABBITMQ_PASSWORD_FILE")
  export SPRING_RABBITMQ_PASSWORD
  unset SPRING_RABBITMQ_PASSWORD_FILE
fi
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java $JAVA_OPTS -jar /app/lazarus.jar "$@"

#!/bin/sh
# Runs the image's jar with $JAVA_OPTS. The API token may come as a file (a docker or Kubernetes secret):
# LAZARUS_SERVICE_API_TOKEN_FILE=/run/secrets/api_token sets LAZARUS_SERVICE_API_TOKEN, for `serve` and `run --server`.
set -eu
if [ -n "${LAZARUS_SERVICE_API_TOKEN_FILE:-}" ]; then
  LAZARUS_SERVICE_API_TOKEN=$(cat "$LAZARUS_SERVICE_API_TOKEN_FILE")
  export LAZARUS_SERVICE_API_TOKEN
  unset LAZARUS_SERVICE_API_TOKEN_FILE
fi
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java $JAVA_OPTS -jar /app/lazarus.jar "$@"

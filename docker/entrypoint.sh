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
# The AOT cache the image trained where it runs (Dockerfile): a start loads and links its classes from it. Help and
# version have a small one of their own where the image has it, and so has a run handed to a service, which starts no
# Spring context unless it discovers EC2 nodes or serves metrics (as ./lazarus does). LAZARUS_AOT_CACHE=off runs without;
# a cache this JVM cannot use is passed over without a word.
aot=
if [ "${LAZARUS_AOT_CACHE:-on}" != off ]; then
  cache=/app/lazarus.aot
  case " $* " in
    "  "|*" -h "*|*" --help "*|*" -V "*|*" --version "*|" help "*|" version "*|" completion "*)
      [ -f /app/lazarus-help.aot ] && cache=/app/lazarus-help.aot ;;
    *" --ec2-filter"*|*" --metrics-port"*|*" --list-hosts "*) ;;
    " run --server "*|" run --server="*|" run "*" --server "*|" run "*" --server="*)
      [ -f /app/lazarus-served.aot ] && cache=/app/lazarus-served.aot ;;
  esac
  [ -f "$cache" ] && aot="-XX:AOTCache=$cache -Xlog:aot*=off,cds*=off"
fi
set -f # no globbing of the options: -Xlog:aot*=off is one word
# shellcheck disable=SC2086 # $aot and JAVA_OPTS are lists of options
exec java $aot $JAVA_OPTS -jar /app/lazarus.jar "$@"

#!/bin/sh
# One-time: the compose demo's secrets, made in a container (docker compose run --rm secrets) so that they belong to
# the images' user (10001) and nothing is needed on the host. Keeps what already exists.
#   ssh_key, ssh_key.pub  the workers' SSH key pair (ECDSA P-256); the demo fleet accepts the public key
#   api_token             the coordinator's API token
#   signing_key, trusted_keys  the run-signing key (Ed25519, PKCS#8 PEM) for the coordinator, and its public key as a
#                         workers' trusted-keys line (README "Security model")
#   rabbitmq_<role>_password  the broker users' passwords (admin, coordinator, worker, monitoring)
#   rabbitmq_definitions.json the broker's users, permissions and topology, loaded at its start; rendered by
#                             `lazarus broker setup --print definitions` (README "Broker users and permissions")
# Runs in the coordinator image, which holds the lazarus command.
set -eu
cd /secrets
if [ ! -s ssh_key ]; then
  openssl ecparam -name prime256v1 -genkey -noout -out ssh_key 2>/dev/null
  # The OpenSSH public key line (RFC 5656): the blob is the key type, the curve and the 65-byte public point, each
  # prefixed with its length; the point is the last 65 bytes of the DER public key.
  {
    printf '\000\000\000\023ecdsa-sha2-nistp256\000\000\000\010nistp256\000\000\000\101'
    openssl ec -in ssh_key -pubout -outform DER 2>/dev/null | tail -c 65
  } | base64 -w0 | sed 's/^/ecdsa-sha2-nistp256 /; s/$/ lazarus-demo\n/' > ssh_key.pub
fi
[ -s api_token ] || openssl rand -hex 32 > api_token
if [ ! -s signing_key ]; then
  openssl genpkey -algorithm ed25519 -out signing_key
  printf 'lazarus-ed25519 %s lazarus-compose\n' "$(openssl pkey -in signing_key -pubout -outform DER | base64 -w0)" \
    > trusted_keys
fi
for role in admin coordinator worker monitoring; do
  # 32 random bytes, base64url: what lazarus broker setup makes
  [ -s "rabbitmq_${role}_password" ] || openssl rand -base64 32 | tr '+/' '-_' | tr -d '=\n' > "rabbitmq_${role}_password"
done
LAZARUS_REGISTRY_DIRECTORY=/tmp/lazarus java -XX:TieredStopAtLevel=1 -jar /app/lazarus.jar broker setup \
  --admin-uri amqp://lazarus-admin@rabbitmq:5672/ --print definitions \
  --password-file admin=rabbitmq_admin_password --password-file coordinator=rabbitmq_coordinator_password \
  --password-file worker=rabbitmq_worker_password --password-file monitoring=rabbitmq_monitoring_password \
  > rabbitmq_definitions.json.new
mv rabbitmq_definitions.json.new rabbitmq_definitions.json
chown 10001:10001 ssh_key ssh_key.pub api_token signing_key trusted_keys rabbitmq_admin_password rabbitmq_coordinator_password \
  rabbitmq_worker_password rabbitmq_monitoring_password
# the broker's user in the rabbitmq image
chown 999:999 rabbitmq_definitions.json
chmod 0400 ssh_key api_token signing_key rabbitmq_admin_password rabbitmq_coordinator_password rabbitmq_worker_password \
  rabbitmq_monitoring_password rabbitmq_definitions.json
chmod 0444 ssh_key.pub trusted_keys
echo "secrets in $(pwd): ssh_key ssh_key.pub api_token signing_key trusted_keys rabbitmq_*_password rabbitmq_definitions.json"

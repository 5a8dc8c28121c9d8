#!/bin/sh
# One-time: the compose demo's secrets, made in a container (docker compose run --rm secrets) so that they belong to
# the images' user (10001) and nothing is needed on the host. Keeps what already exists.
#   ssh_key, ssh_key.pub  the workers' SSH key pair (ECDSA P-256); the demo fleet accepts the public key
#   api_token             the coordinator's API token
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
chown 10001:10001 ssh_key ssh_key.pub api_token
chmod 0400 ssh_key api_token
chmod 0444 ssh_key.pub
echo "secrets in $(pwd): ssh_key ssh_key.pub api_token"

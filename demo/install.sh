#!/bin/sh
# A stand-in install: on real nodes this would be, for example,
#   apt-get install -y tomcat10 && systemctl enable --now tomcat10
set -e
echo "installing on $(hostname)"

#!/usr/bin/env bash
# The MariaDB server the MariaDB tests start themselves (src/test/java/dev/outboxrelay/support/TestMariaDb.java):
# Debian's mariadb-server-core (MariaDB 10.11 on Debian 12), the server binary and its system tables without a
# service, installed only when mariadbd is missing. Run by ./mvnw verify before the integration tests.
set -euo pipefail
if command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "Installing mariadb-server-core for the MariaDB tests (apt-get)"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends mariadb-server-core >/dev/null

#!/bin/sh
# Prometheus reads scrape credentials from files only: write the ones given in the environment (docker-compose.yml)
# to the tmpfs that prometheus.yml names, then run Prometheus as the image would.
set -eu
umask 077
printf '%s' "${OUTBOX_READER_USER:-}" > /run/scrape-auth/user
printf '%s' "${OUTBOX_READER_PASSWORD:-}" > /run/scrape-auth/password
exec /bin/prometheus --config.file=/etc/prometheus/prometheus.yml --storage.tsdb.path=/prometheus "$@"

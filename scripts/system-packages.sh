#!/usr/bin/env bash
# Debian packages the test suite needs: PostgreSQL (second database run), Chromium + driver (browser
# suite), gettext (translations), a Java 17 runtime (Spark in local mode for tests/conformance). Installs only what is missing; needs root (CI runs as root).
set -euo pipefail
need=()
for pkg in postgresql chromium chromium-driver gettext openjdk-17-jre-headless; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "missing Debian packages: ${need[*]} (run as root: apt-get install ${need[*]})" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# The packaged cluster is not used (tests start their own on loopback); keep it from holding port 5432.
if command -v pg_lsclusters >/dev/null 2>&1; then
  pg_lsclusters -h 2>/dev/null | while read -r ver name _; do pg_ctlcluster "$ver" "$name" stop 2>/dev/null || true; done
fi

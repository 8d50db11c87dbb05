#!/usr/bin/env bash
# Builds the console for CMake (web/console/CMakeLists.txt): `npm ci` only when node_modules is
# missing (scripts/bootstrap keeps it in step with the lockfile), then `vite build` into
# $ICN_CONSOLE_OUT with the ABIs from $ICN_ARTIFACTS_DIR. Nothing is fetched when node_modules exists.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
if [[ ! -d node_modules ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
VITE_CONFIG_NATIVE_IGNORE_WARNING=true exec ./node_modules/.bin/vite build --logLevel warn

#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs everything, then runs pytest on SQLite (including the
# browser suite, the quality gates of tests/test_quality.py: ruff, lint-imports, mypy, check --deploy), and
# again on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/system-packages.sh
scripts/install.sh test
export PYTHONDONTWRITEBYTECODE=1

run_pytest() {
  # pytest exit code 5 means "no tests ran": that is a failure here.
  set +e
  .venv/bin/python -m pytest "$@"
  code=$?
  set -e
  if [ "$code" = 5 ]; then echo "pytest collected no tests" >&2; return 1; fi
  return "$code"
}

echo "== SQLite: unit, API, web, quality gates (two processes) =="
run_pytest -q -p no:cacheprovider -n 2 -m 'not e2e' --durations=20
echo "== SQLite: the browser suite =="
run_pytest -q -p no:cacheprovider -m e2e
echo "== PostgreSQL: the same suite (browser suite excepted) =="
# Run once, on SQLite above, not repeated here: what reads the lake only (the analytics engine conformance, the
# analytics and pages benchmark smoke tests), what runs the CLI in child processes on its own data directory (xlsx bombs,
# killed imports), and the principal/two-shop walks, whose authentication logic does not depend on the database
# (each of their tests builds a second shop: minutes on PostgreSQL for no new coverage), the serve/worker
# processes of the in-process worker test and the CLI-trust walk (their own SQLite data directories either way),
# and the screen-trust walk (every page in two languages, reading only: what it checks is the rendered text).
# The page fuzzing runs on
# both: PostgreSQL refuses values SQLite accepts.
scripts/with-postgres.sh bash -c "$(declare -f run_pytest); run_pytest -q -p no:cacheprovider -n 2 -m 'not e2e and not quality' \
  --ignore=tests/conformance --ignore=tests/analytics/test_benchmark_analytics.py \
  --ignore=tests/analytics/test_benchmark_pages.py \
  --ignore=tests/imports/test_xlsx_bomb_cli.py --ignore=tests/imports/test_dead_import_cli.py \
  --ignore=tests/core/test_principal.py --ignore=tests/web/test_role_walk_two_shops.py \
  --ignore=tests/core/test_worker_in_serve.py --ignore=tests/cli/test_cli_trust.py \
  --ignore=tests/web/test_screen_trust.py --durations=20"
echo "== all test runs passed =="

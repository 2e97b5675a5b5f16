#!/usr/bin/env bash
# Fail on known vulnerabilities in the pinned dependencies (pip-audit, PyPI's advisory data).
# When the advisory service cannot be reached (an offline machine), say so loudly and exit 3
# (NOT_DONE): an audit that could not run is never mistaken for a clean one, and whoever
# calls this decides whether to allow it (.ci/run does, saying so).
set -uo pipefail
cd "$(dirname "$0")/.."
NOT_DONE=3
python=".venv/bin/python"
"$python" -m pip install --quiet pip-audit==2.10.0 >/dev/null 2>&1 || {
  echo "audit: NOT DONE: pip-audit could not be installed" >&2; exit "$NOT_DONE"; }
out=$("$python" -m pip_audit --requirement requirements.txt --progress-spinner off 2>&1)
status=$?
skipped=$(echo "$out" | grep -c "could not be audited" || true)
if echo "$out" | grep -q "Found [0-9]* known vulnerabilit"; then
  echo "$out" | grep -v "could not be audited" | head -40
  echo "audit: FAILED: known vulnerabilities in requirements.txt" >&2
  exit 1
fi
if [ "$skipped" -gt 0 ] || [ "$status" -ne 0 ]; then
  # Never "No known vulnerabilities found" for packages that were not checked.
  echo "$out" | grep -v -e "could not be audited" -e "No known vulnerabilities found" | head -20
  if [ "$skipped" -gt 0 ]; then
    what="$skipped pinned package(s) could not be checked"
  else
    what="pip-audit failed (exit $status) before checking anything"
  fi
  echo "audit: NOT DONE: $what (is the advisory service unreachable from here?); run" \
       "scripts/audit.sh on a machine that reaches PyPI's advisory service (https://pypi.org)" >&2
  exit "$NOT_DONE"
fi
echo "$out" | head -40
exit 0

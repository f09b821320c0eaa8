#!/usr/bin/env bash
# Re-resolve requirements.txt in a throwaway venv and pin the full result in requirements.lock.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet -r requirements.txt
{ echo "# Full pinned set resolved from requirements.txt (pip freeze of a fresh venv). Regenerate with scripts/lock.sh."
  "$tmp/venv/bin/pip" freeze | sed 's/^torch==\(.*\)+cpu$/torch==\1/'; } > requirements.lock
rm -rf "$tmp"

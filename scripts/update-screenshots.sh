#!/usr/bin/env bash
# Refreshes the README's screenshots (docs/screenshots/) from what the browser tests saved in artifacts/screenshots/.
# Runs the browser tests first (with the test servers, as scripts/test.sh does) unless --no-run is given.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ "${1:-}" != "--no-run" ]; then
  scripts/test.sh --filter "FullyQualifiedName~MailSync.BrowserTests"
fi
shopt -s nullglob
shots=(artifacts/screenshots/*.png)
if [ ${#shots[@]} -eq 0 ]; then
  echo "No screenshots in artifacts/screenshots/: run the browser tests first (scripts/update-screenshots.sh without --no-run)." >&2
  exit 1
fi
mkdir -p docs/screenshots
cp "${shots[@]}" docs/screenshots/
echo "Copied ${#shots[@]} screenshots to docs/screenshots/; review them with git diff --stat docs/screenshots before committing."

#!/usr/bin/env bash
# The browser of the monitoring page's browser tests: Debian's chromium package (Playwright's own
# browser download is not used). Installs it with apt-get when missing and it can (root or sudo);
# otherwise says so, and the browser tests skip with that reason. Prints one line either way.
set -uo pipefail
if [ -n "${GD_TEST_CHROMIUM:-}" ] && [ -x "$GD_TEST_CHROMIUM" ]; then
  echo "Browser for the monitoring page tests: $GD_TEST_CHROMIUM (GD_TEST_CHROMIUM)"; exit 0
fi
for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -x "$candidate" ]; then echo "Browser for the monitoring page tests: $candidate"; exit 0; fi
done
if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo -n"
  if [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; then
    echo "Installing Debian's chromium for the monitoring page tests (apt-get install -y chromium) ..."
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium; } >/dev/null 2>&1
    if [ -x /usr/bin/chromium ]; then echo "Browser for the monitoring page tests: /usr/bin/chromium (just installed)"; exit 0; fi
  fi
fi
echo "No Chromium and it could not be installed here (apt-get install chromium as root): the monitoring page tests will be skipped."
exit 0

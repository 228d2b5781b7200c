#!/usr/bin/env bash
# Installs Debian's Chromium for the HTML report's browser test (test/html-report.test.ts), only when it is
# missing and apt is available. Elsewhere it says what to do: install Chromium at /usr/bin/chromium, or
# set PLUMBLINE_SKIP_BROWSER=1 to skip that test on purpose.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: $CHROMIUM is missing and apt-get is not available;" \
    "install Chromium there or set PLUMBLINE_SKIP_BROWSER=1" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-chromium: need root (or sudo) to apt-get install chromium" >&2
    exit 0
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# fonts-liberation is only a recommendation of chromium, but without a font the screenshot has no text.
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
echo "install-chromium: installed $($CHROMIUM --version 2>/dev/null || echo chromium)"

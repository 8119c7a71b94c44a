#!/bin/sh
# The browser tests of the leaderboard site drive Debian's chromium. Install it when it is missing
# and this user may (root with apt-get); otherwise those tests skip and say why.
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium for the browser tests (apt-get)..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
        || echo "could not install chromium: the browser tests will be skipped"
else
    echo "chromium not found and not installable here: the browser tests will be skipped"
fi
exit 0

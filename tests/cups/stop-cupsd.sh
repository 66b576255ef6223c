#!/usr/bin/env bash
# Stops the private cupsd started by start-cupsd.sh DIR and removes its cups-pdf queue settings.
#   usage: stop-cupsd.sh DIR [QUEUE]
set -uo pipefail
dir=$(realpath -m "$1")
queue=${2:-pension-test}
[ -f "$dir/cupsd.pid" ] && kill "$(cat "$dir/cupsd.pid")" 2>/dev/null
rm -f "/etc/cups/cups-pdf-$queue.conf"
exit 0

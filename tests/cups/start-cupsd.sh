#!/usr/bin/env bash
# A private CUPS scheduler for the print tests: its own configuration, spool and state under DIR,
# listening on 127.0.0.1:PORT only (not the system's socket), with one cups-pdf queue QUEUE that
# writes what CUPS printed into DIR/out. Needs root (cupsd and the cups-pdf backend run as root on
# Debian). cups-pdf reads its settings from /etc/cups/cups-pdf-QUEUE.conf only, so that one file is
# written there (tests/cups/stop-cupsd.sh removes it). Prints the variables the tests read:
#   CUPS_SERVER=127.0.0.1:PORT  PENSION_CUPS_QUEUE=QUEUE  PENSION_CUPS_OUT=DIR/out  PENSION_CUPS_DIR=DIR
#   usage: start-cupsd.sh DIR [PORT] [QUEUE]
set -euo pipefail
dir=$(realpath -m "$1")
port=${2:-8631}
queue=${3:-pension-test}
mkdir -p "$dir"/{etc/ppd,spool/tmp,cache,state,log,out}
chmod 0755 "$dir"
# Ghostscript in the cups-pdf backend writes as the job's user, or nobody for unknown users.
chmod 1777 "$dir/out"
cat >"$dir/etc/cups-files.conf" <<CONF
ServerRoot $dir/etc
RequestRoot $dir/spool
TempDir $dir/spool/tmp
CacheDir $dir/cache
StateDir $dir/state
AccessLog $dir/log/access_log
ErrorLog $dir/log/error_log
PageLog $dir/log/page_log
Printcap $dir/printcap
User lp
Group lp
SystemGroup root
CONF
cat >"$dir/etc/cupsd.conf" <<CONF
LogLevel info
Listen 127.0.0.1:$port
Browsing No
WebInterface No
DefaultAuthType None
PreserveJobHistory Yes
<Location />
  Order allow,deny
  Allow from 127.0.0.1
</Location>
<Policy default>
  <Limit All>
    Order allow,deny
    Allow from 127.0.0.1
  </Limit>
</Policy>
CONF
cat >"/etc/cups/cups-pdf-$queue.conf" <<CONF
Out $dir/out
AnonDirName $dir/out
Spool $dir/spool/cups-pdf
# Jobs of users unknown to the system (the app names itself pension-counter) run Ghostscript as
# AnonUser; nobody could not read the spool under cupsd's RequestRoot.
AnonUser root
UserUMask 0022
Log $dir/log
CONF
/usr/sbin/cupsd -f -c "$dir/etc/cupsd.conf" -s "$dir/etc/cups-files.conf" >"$dir/log/cupsd.out" 2>&1 &
echo $! >"$dir/cupsd.pid"
for _ in $(seq 1 50); do
  lpstat -h "127.0.0.1:$port" -r >/dev/null 2>&1 && break
  sleep 0.2
done
lpstat -h "127.0.0.1:$port" -r >/dev/null
lpadmin -h "127.0.0.1:$port" -p "$queue" -E -v "cups-pdf:/$queue" -P /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd 2>/dev/null
echo "CUPS_SERVER=127.0.0.1:$port"
echo "PENSION_CUPS_QUEUE=$queue"
echo "PENSION_CUPS_OUT=$dir/out"
echo "PENSION_CUPS_DIR=$dir"

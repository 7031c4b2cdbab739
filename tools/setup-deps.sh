#!/bin/sh
# Installs the Debian packages the build and the tests need, only those missing.
# Run by `make demo` and `make test` (and `make bench`, which asks for a few more as arguments);
# safe to run again (it does nothing then).
set -e
# The Python module's (tools/python/README.md; tests/python/run.sh): asked for as the word python-module.
PYTHON_MODULE="python3-venv python3-pip python3-setuptools python3-wheel python3-pandas python3-pytest jupyter-nbconvert python3-nbconvert python3-ipykernel"
ASKED=""
for a in "$@"; do
  if [ "$a" = python-module ]; then ASKED="$ASKED $PYTHON_MODULE"; else ASKED="$ASKED $a"; fi
done
PKGS="gcc make pkg-config re2c lemon libffi-dev libcriterion-dev libjansson-dev libyaml-dev nettle-dev zlib1g-dev libmicrohttpd-dev postgresql-15 postgresql-server-dev-15 $ASKED"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "setup: installing$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null

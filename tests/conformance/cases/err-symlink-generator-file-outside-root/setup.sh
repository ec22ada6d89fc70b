#!/usr/bin/env bash
# Run by run_case.sh inside a private copy of this case.
set -eu
ln -s /etc/passwd app/passwd.txt

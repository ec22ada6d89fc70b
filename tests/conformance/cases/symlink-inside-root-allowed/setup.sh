#!/usr/bin/env bash
# Run by run_case.sh inside a private copy of this case.
set -eu
ln -s real.yaml alias.yaml
ln -s real.txt link.txt

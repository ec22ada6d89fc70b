#!/usr/bin/env bash
# Run by run_case.sh inside a private copy of this case.
set -eu
printf '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\xfd' > logo.bin
printf 'plain text\n' > text.txt

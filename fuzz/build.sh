#!/bin/sh
# Builds the libFuzzer targets with clang, straight from the sources.
#   fuzz/build.sh            -> build-fuzz/yaml_roundtrip_fuzz
#   build-fuzz/yaml_roundtrip_fuzz -max_total_time=300 build-fuzz/corpus
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$root/build-fuzz}
mkdir -p "$out/corpus"
src="$root/src"
clang++-14 -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$src" \
  "$root/fuzz/yaml_roundtrip_fuzz.cc" "$src/model/node.cc" \
  $(ls "$src"/yaml/*.cc | grep -v '_test\.cc$') \
  -lyaml -lsimdjson -o "$out/yaml_roundtrip_fuzz"
# Seed corpus: the project's own YAML files.
find "$root/examples" "$root/src" -name '*.yaml' -size -64k 2>/dev/null | while read -r f; do
  cp "$f" "$out/corpus/$(echo "$f" | md5sum | cut -c1-16).yaml"
done
echo "built $out/yaml_roundtrip_fuzz"

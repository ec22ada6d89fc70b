#!/bin/sh
# Builds the libFuzzer targets with clang, straight from the sources: each
# needed source is compiled once into $OUT/obj (through ccache when present)
# and every target links only what it uses.
#   fuzz/build.sh                  -> build-fuzz/<target> for every target
#   fuzz/build.sh json_patch_fuzz  -> only that target
#   build-fuzz/json_patch_fuzz -max_total_time=300 fuzz/corpus/json_patch_fuzz
# Env: OUT (output directory, default build-fuzz), SCHEMA_TABLES (a generated
# schema_tables.cc to reuse; otherwise the generator is built and run),
# JOBS (parallel compiles, default 2).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$root/build-fuzz}
jobs=${JOBS:-2}
src="$root/src"
# A fixed working directory lets ccache reuse objects between build trees
# (debug info records it).
cd "$root"
mkdir -p "$out/obj" "$out/corpus"
cxx="clang++-14"
command -v ccache >/dev/null 2>&1 && cxx="ccache clang++-14"
flags="-std=c++20 -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -I$src"

tables=${SCHEMA_TABLES:-}
if [ -z "$tables" ]; then
  tables="$out/schema_tables.cc"
  if [ ! -s "$tables" ]; then
    clang++-14 -std=c++20 -O1 "$src/model/gen/schema_gen.cc" -lsimdjson -lz -o "$out/schema_gen"
    "$out/schema_gen" "$root/../shared/data/kubernetes-openapi-v1.21.2.json.gz" "$tables"
  fi
fi

sources() {  # non-test sources of the named modules
  for m in "$@"; do ls "$src/$m"/*.cc | grep -v '_test\.cc$'; done
}
yaml_srcs="$src/model/node.cc $(sources yaml) $src/yaml/json_plugin/json_events.cc"
model_srcs="$(sources model) $tables"
render_srcs="$(sources render)"

# Compiles the given sources (in parallel) and prints their object paths.
objects() {
  for f in "$@"; do echo "$f"; done | sort -u | xargs -P "$jobs" -I{} sh -c '
    o="$1/obj/$(echo "$2" | sed "s|/|_|g").o"
    $3 $4 -c "$2" -o "$o"' _ "$out" {} "$cxx" "$flags"
  for f in "$@"; do echo "$out/obj/$(echo "$f" | sed 's|/|_|g').o"; done | sort -u
}

link() {  # link TARGET LIBS SOURCES...
  name=$1 libs=$2
  shift 2
  objs=$(objects "$root/fuzz/$name.cc" "$@" | tr '\n' ' ')
  clang++-14 -fsanitize=fuzzer,address,undefined $objs $libs -o "$out/$name"
  echo "built $out/$name"
}

want() { [ $# -eq 0 ] || case " $* " in *" $target "*) return 0 ;; *) return 1 ;; esac; }

for target in yaml_roundtrip_fuzz json_patch_fuzz strategic_merge_fuzz kustomization_tree_fuzz \
    yaml_fastpath_fuzz; do
  want "$@" || continue
  case $target in
    yaml_roundtrip_fuzz|json_patch_fuzz|yaml_fastpath_fuzz)
      link $target "-lyaml -lsimdjson" $model_srcs $yaml_srcs ;;
    strategic_merge_fuzz)
      link $target "-lyaml -lsimdjson" "$src/render/strategic_merge.cc" \
        "$src/render/openapi_schema.cc" $model_srcs $yaml_srcs ;;
    kustomization_tree_fuzz)
      link $target "-lyaml -lsimdjson -lre2 -lcrypto" $render_srcs $model_srcs $yaml_srcs ;;
  esac
done

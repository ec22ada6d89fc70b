# Two entry points: `make run` and `make test`. Both install what is missing
# (Debian packages), configure, build, then run.

DEBIAN_PACKAGES := cmake ninja-build g++ ccache pkg-config git python3 \
  libyaml-dev libsimdjson-dev libfmt-dev libcli11-dev libgtest-dev libgmock-dev \
  libbenchmark-dev libre2-dev libssl-dev libcurl4-openssl-dev libboost-dev \
  libsqlite3-dev zlib1g-dev clang-14 libclang-rt-14-dev hyperfine time curl

BUILD_DIR ?= build
ASAN_DIR  ?= build-asan
JOBS      ?= $(shell nproc)
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CMAKE_FLAGS ?=

.PHONY: run test deps build build-asan test-asan bench clean

LOCAL_DATA ?= $(BUILD_DIR)/local-data

# Starts `skiff local` in the background (once; its pid is kept in
# $(LOCAL_DATA)/skiff-local.pid), then converges it to the example
# platform's dev cluster.
run: build
	@data=$(LOCAL_DATA); pidfile=$$data/skiff-local.pid; \
	if [ -f $$pidfile ] && kill -0 $$(cat $$pidfile) 2>/dev/null; then \
	  echo "skiff local already running (pid $$(cat $$pidfile))"; \
	else \
	  mkdir -p $$data && rm -f $$data/kubeconfig; \
	  nohup ./$(BUILD_DIR)/skiff local --data $$data --port 0 >$$data/skiff-local.log 2>&1 & \
	  echo $$! >$$pidfile; \
	  for i in $$(seq 1 200); do [ -f $$data/kubeconfig ] && break; sleep 0.05; done; \
	fi; \
	[ -f $$data/kubeconfig ] || { echo "skiff local did not start, see $$data/skiff-local.log"; exit 1; }; \
	rc=0; ./$(BUILD_DIR)/skiff apply examples/platform/clusters/dev --kubeconfig $$data/kubeconfig \
	  --prune --wait --timeout 2m || rc=$$?; \
	echo; echo "Look at it:  KUBECONFIG=$$data/kubeconfig kubectl get all -A"; \
	echo "Stop it:     kill $$(cat $$pidfile)"; exit $$rc

test: build build-asan
	cd $(ASAN_DIR) && ctest -L unit --output-on-failure -j $(JOBS)
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@command -v kubectl >/dev/null || echo "warning: kubectl not found; conformance tests need it"

$(BUILD_DIR)/build.ninja: | deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build: deps $(BUILD_DIR)/build.ninja
	ninja -C $(BUILD_DIR) -j $(JOBS)

$(ASAN_DIR)/build.ninja: | deps
	cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSKIFF_SANITIZE=ON $(CMAKE_FLAGS)

build-asan: deps $(ASAN_DIR)/build.ninja
	ninja -C $(ASAN_DIR) -j $(JOBS)

bench: build
	bench/render_bench.sh

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR)

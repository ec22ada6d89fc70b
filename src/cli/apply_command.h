// `skiff apply DIR`: renders DIR, validates the whole set against the cluster
// (server-side dry-run), applies it in dependency order with server-side
// apply, records it as an ApplySet, optionally prunes and waits for health.
// Prints one line per object and a summary (or JSON with --output json);
// exits 1 when anything failed or did not become healthy.
#pragma once

namespace CLI {
class App;
}

namespace skiff {

void AddApplyCommand(CLI::App& app);

}  // namespace skiff

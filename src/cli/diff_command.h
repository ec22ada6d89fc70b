// `skiff diff DIR`: renders DIR and shows, as unified diffs, what applying it
// would change in the cluster. Exit 0: no change; 1: changes; 2: error (as
// `kubectl diff`).
#pragma once

namespace CLI {
class App;
}

namespace skiff {

void AddDiffCommand(CLI::App& app);

}  // namespace skiff

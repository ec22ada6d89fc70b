// `skiff build DIR`: renders a kustomization as `kustomize build DIR` does,
// the set on stdout, warnings on stderr, "Error: ..." and exit 1 on failure.
#pragma once

namespace CLI {
class App;
}

namespace skiff {

void AddBuildCommand(CLI::App& app);

}  // namespace skiff

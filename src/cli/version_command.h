// `skiff version`: prints the skiff version and the kustomize release whose
// output `skiff build` reproduces.
#pragma once

namespace CLI {
class App;
}

namespace skiff {

inline constexpr const char* kSkiffVersion = "0.1.0";
inline constexpr const char* kKustomizeCompatVersion = "v5.5.0";

void AddVersionCommand(CLI::App& app);

}  // namespace skiff

// `skiff check DIR`: renders a kustomization and checks it against the Pod
// Security Standards, the platform rules, the repository policy file and,
// with --project, a tenant's Project. Exit 1 when an error-severity finding
// remains, 2 on usage or render errors, 0 otherwise.
#pragma once

namespace CLI {
class App;
}

namespace skiff {

void AddCheckCommand(CLI::App& app);

}  // namespace skiff

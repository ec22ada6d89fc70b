// Renders one kustomization directory and prints it, like `skiff build DIR`,
// with only the render library linked: used to profile the render path
// without the rest of the CLI.
#include <cstdio>
#include <string>
#include <vector>

#include "render/render.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: render_once DIR\n");
    return 2;
  }
  std::vector<std::string> warnings;
  skiff::Result<skiff::RenderedSet> rendered = skiff::Render(argv[1], {}, warnings);
  if (!rendered.ok()) {
    std::fprintf(stderr, "Error: %s\n", rendered.error().message.c_str());
    return 1;
  }
  std::string out = skiff::EmitRendered(*rendered);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}

// skiff: the command-line entry point. Verbs parse flags, call a module and
// print; nothing else lives here.
#include <cstdio>

int main(int argc, char** argv) {
  (void)argc;
  (void)argv;
  std::fprintf(stderr, "skiff: no verbs yet\n");
  return 2;
}

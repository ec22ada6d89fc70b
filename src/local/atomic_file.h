// Writing a file so that readers see either the old or the complete new
// content, never a partial one: write a sibling temp file, then rename.
#pragma once

#include <sys/types.h>

#include <string>

#include "base/result.h"

namespace skiff::local {

Status WriteFileAtomically(const std::string& path, const std::string& text, mode_t mode);

}  // namespace skiff::local

// A URL query string built from name/value pairs.
#pragma once

#include <string>
#include <string_view>

#include "kube/discovery.h"

namespace skiff::kube {

// Collects "?a=1&b=2"; empty values are left out.
class Query {
 public:
  void Add(std::string_view name, std::string_view value) {
    if (value.empty()) return;
    text_ += text_.empty() ? '?' : '&';
    text_ += name;
    text_ += '=';
    text_ += UrlEncode(value);
  }
  const std::string& String() const { return text_; }

 private:
  std::string text_;
};

}  // namespace skiff::kube

#include "render/field_path.h"

#include <charconv>

#include "yaml/scalar_resolve.h"

namespace skiff {

namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

size_t ToIndex(std::string_view s) {
  size_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// Splits on dots that are not inside brackets, so "[a.b/c]" stays whole.
std::vector<std::string_view> SplitOutsideBrackets(std::string_view text) {
  std::vector<std::string_view> parts;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '[') ++depth;
    if (text[i] == ']' && depth > 0) --depth;
    if (text[i] == '.' && depth == 0) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(text.substr(start));
  return parts;
}

FieldPathSegment BracketSegment(std::string_view inner) {
  FieldPathSegment seg;
  size_t eq = inner.find('=');
  if (eq == std::string_view::npos) {
    seg.key = std::string(inner);
    return seg;
  }
  seg.key = std::string(inner.substr(0, eq));
  seg.value = std::string(inner.substr(eq + 1));
  seg.kind = seg.key.empty() ? FieldPathSegment::Kind::kScalarMatch
                             : FieldPathSegment::Kind::kMatch;
  return seg;
}

Status AppendSegments(std::string_view part, std::vector<FieldPathSegment>& out) {
  if (part.empty()) return MakeError("empty segment");
  if (part.front() == '[' && part.back() == ']') {
    out.push_back(BracketSegment(part.substr(1, part.size() - 2)));
    return Status::Ok();
  }
  FieldPathSegment seg;
  size_t open = part.find('[');
  if (open != std::string_view::npos && part.back() == ']' &&
      AllDigits(part.substr(open + 1, part.size() - open - 2))) {
    // "ports[0]": a key, then an index into the list under it.
    seg.key = std::string(part.substr(0, open));
    out.push_back(seg);
    part = part.substr(open + 1, part.size() - open - 2);
    seg = FieldPathSegment{};
  }
  seg.key = std::string(part);
  if (part == "*") {
    seg.kind = FieldPathSegment::Kind::kWildcard;
  } else if (AllDigits(part)) {
    seg.kind = FieldPathSegment::Kind::kIndex;
    seg.index = ToIndex(part);
  }
  out.push_back(std::move(seg));
  return Status::Ok();
}

bool NeedsList(const FieldPathSegment& next) {
  return next.kind != FieldPathSegment::Kind::kKey;
}

// Walks segment `i` of `path` from `node`, collecting the slots the last
// segment reaches.
class SlotFinder {
 public:
  SlotFinder(Arena* arena, const FieldPath& path, bool create)
      : arena_(arena), path_(path), create_(create) {}

  Status Walk(Node* node, size_t i) {
    if (node == nullptr) return Status::Ok();
    const FieldPathSegment& seg = path_.segments[i];
    if (node->IsMap()) {
      bool names_key = seg.kind == FieldPathSegment::Kind::kKey ||
                       seg.kind == FieldPathSegment::Kind::kIndex;
      return names_key ? WalkMap(node, i, seg.key) : Status::Ok();
    }
    if (!node->IsSeq()) return Status::Ok();
    switch (seg.kind) {
      case FieldPathSegment::Kind::kKey:
        return Status::Ok();
      case FieldPathSegment::Kind::kIndex:
        return WalkIndex(node, i, seg.index);
      case FieldPathSegment::Kind::kWildcard:
        for (size_t k = 0; k < node->items().size(); ++k) {
          SKIFF_RETURN_IF_ERROR(Reach(FieldSlot{node, {}, k, node->items()[k]}, i));
        }
        return Status::Ok();
      case FieldPathSegment::Kind::kMatch:
      case FieldPathSegment::Kind::kScalarMatch:
        return WalkMatch(node, i, seg);
    }
    return Status::Ok();
  }

  std::vector<FieldSlot> TakeSlots() { return std::move(slots_); }

 private:
  bool Last(size_t i) const { return i + 1 == path_.segments.size(); }

  Node* NewContainerFor(size_t i) {
    return NeedsList(path_.segments[i + 1]) ? arena_->NewSeq() : arena_->NewMap();
  }

  Status Reach(FieldSlot slot, size_t i) {
    if (Last(i)) {
      slots_.push_back(slot);
      return Status::Ok();
    }
    return Walk(slot.value, i + 1);
  }

  Status WalkMap(Node* map, size_t i, std::string_view key) {
    Node* child = map->Get(key);
    bool absent = child == nullptr || (child->IsNull() && !Last(i));
    if (absent && !create_) return Status::Ok();
    std::string_view interned = InternKey(key);
    if (absent && !Last(i)) {
      child = NewContainerFor(i);
      map->Set(interned, child);
    }
    return Reach(FieldSlot{map, interned, 0, child}, i);
  }

  Status WalkIndex(Node* seq, size_t i, size_t index) {
    if (index < seq->items().size()) {
      return Reach(FieldSlot{seq, {}, index, seq->items()[index]}, i);
    }
    if (!create_) return Status::Ok();
    return MakeError("index " + std::to_string(index) + " specified but only " +
                     std::to_string(seq->items().size()) + " elements found");
  }

  static bool ElementMatches(const Node* item, const FieldPathSegment& seg) {
    if (seg.kind == FieldPathSegment::Kind::kScalarMatch) {
      return item->IsScalar() && item->scalar() == seg.value;
    }
    if (!item->IsMap()) return false;
    const Node* field = item->Get(seg.key);
    return field != nullptr && field->IsScalar() && field->scalar() == seg.value;
  }

  Status WalkMatch(Node* seq, size_t i, const FieldPathSegment& seg) {
    bool found = false;
    for (size_t k = 0; k < seq->items().size(); ++k) {
      if (!ElementMatches(seq->items()[k], seg)) continue;
      found = true;
      SKIFF_RETURN_IF_ERROR(Reach(FieldSlot{seq, {}, k, seq->items()[k]}, i));
    }
    if (found || !create_) return Status::Ok();
    Node* value = arena_->NewScalar(ResolvePlainScalar(seg.value), arena_->Str(seg.value));
    Node* element = value;
    if (seg.kind == FieldPathSegment::Kind::kMatch) {
      element = arena_->NewMap();
      element->Set(InternKey(seg.key), value);
    }
    seq->Append(element);
    return Reach(FieldSlot{seq, {}, seq->items().size() - 1, element}, i);
  }

  Arena* arena_;  // only used when creating
  const FieldPath& path_;
  bool create_;
  std::vector<FieldSlot> slots_;
};

}  // namespace

Result<FieldPath> FieldPath::Parse(std::string_view text) {
  FieldPath path;
  path.text = std::string(text);
  for (std::string_view part : SplitOutsideBrackets(text)) {
    Status s = AppendSegments(part, path.segments);
    if (!s.ok()) return s.error().Wrap("invalid field path '" + path.text + "'");
  }
  return path;
}

void FieldSlot::Set(Node* v) {
  value = v;
  if (parent->IsMap()) {
    parent->Set(key, v);
  } else {
    parent->items()[index] = v;
  }
}

Result<std::vector<FieldSlot>> FindFieldSlots(Arena& arena, Node* root, const FieldPath& path,
                                              bool create) {
  SlotFinder finder(&arena, path, create);
  SKIFF_RETURN_IF_ERROR(finder.Walk(root, 0));
  return finder.TakeSlots();
}

Node* LookupField(Node* root, const FieldPath& path) {
  SlotFinder finder(/*arena=*/nullptr, path, /*create=*/false);
  if (!finder.Walk(root, 0).ok()) return nullptr;
  std::vector<FieldSlot> slots = finder.TakeSlots();
  return slots.empty() ? nullptr : slots.front().value;
}

}  // namespace skiff

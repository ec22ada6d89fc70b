#include "model/slab_resource.h"

#include <sys/mman.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>

namespace skiff {

#if defined(__SANITIZE_ADDRESS__)

std::pmr::memory_resource* SlabResource() { return std::pmr::new_delete_resource(); }

#else

namespace {

constexpr size_t kHugePage = size_t{2} << 20;
constexpr size_t kFirstSlabBytes = size_t{1} << 20;
constexpr size_t kSlabBytes = size_t{4} << 20;
constexpr size_t kChunkAlign = 64;

// At the start of every slab. `live` counts the chunks not yet freed, plus
// one while the slab is its thread's current one.
struct Slab {
  std::atomic<size_t> live;
  void* mapping;
  size_t mapping_bytes;
};

// Just before every chunk: its slab, or null for a chunk mapped on its own.
struct alignas(kChunkAlign) ChunkHeader {
  Slab* slab;
  size_t mapping_bytes;  // own mapping, header included
};

void* MapAnonymous(size_t bytes) {
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  return p;
}

void Release(Slab* slab) {
  if (slab->live.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    ::munmap(slab->mapping, slab->mapping_bytes);
  }
}

Slab* NewSlab(bool huge) {
  if (!huge) {
    void* p = MapAnonymous(kFirstSlabBytes);
    return new (p) Slab{{1}, p, kFirstSlabBytes};
  }
  // Huge pages need 2 MiB alignment: map more, keep an aligned window.
  size_t bytes = kSlabBytes + kHugePage;
  char* raw = static_cast<char*>(MapAnonymous(bytes));
  uintptr_t aligned = (reinterpret_cast<uintptr_t>(raw) + kHugePage - 1) & ~(kHugePage - 1);
  char* start = reinterpret_cast<char*>(aligned);
  size_t head = static_cast<size_t>(start - raw);
  if (head > 0) ::munmap(raw, head);
  size_t tail = bytes - head - kSlabBytes;
  if (tail > 0) ::munmap(start + kSlabBytes, tail);
  ::madvise(start, kSlabBytes, MADV_HUGEPAGE);  // advice: ignored where unsupported
  return new (start) Slab{{1}, start, kSlabBytes};
}

size_t RoundUp(size_t n, size_t to) { return (n + to - 1) / to * to; }

// The slab the calling thread carves from.
struct ThreadSlab {
  Slab* slab = nullptr;
  char* next = nullptr;
  char* end = nullptr;
  bool had_one = false;

  ~ThreadSlab() {
    if (slab != nullptr) Release(slab);
  }

  void* Carve(size_t bytes) {
    size_t need = sizeof(ChunkHeader) + RoundUp(bytes, kChunkAlign);
    if (slab == nullptr || static_cast<size_t>(end - next) < need) {
      if (slab != nullptr) Release(slab);
      slab = NewSlab(had_one);
      had_one = true;
      next = reinterpret_cast<char*>(slab) + RoundUp(sizeof(Slab), kChunkAlign);
      end = static_cast<char*>(slab->mapping) + slab->mapping_bytes;
    }
    auto* header = new (next) ChunkHeader{slab, 0};
    next += need;
    slab->live.fetch_add(1, std::memory_order_relaxed);
    return header + 1;
  }
};

thread_local ThreadSlab thread_slab;

class SlabMemoryResource final : public std::pmr::memory_resource {
 private:
  void* do_allocate(size_t bytes, size_t alignment) override {
    if (alignment > kChunkAlign) {
      return std::pmr::new_delete_resource()->allocate(bytes, alignment);
    }
    // Large chunks would waste most of a slab: mapped on their own.
    if (bytes > kSlabBytes / 4) {
      size_t mapping = RoundUp(sizeof(ChunkHeader) + bytes, 4096);
      auto* header = new (MapAnonymous(mapping)) ChunkHeader{nullptr, mapping};
      return header + 1;
    }
    return thread_slab.Carve(bytes);
  }

  void do_deallocate(void* p, size_t bytes, size_t alignment) override {
    if (alignment > kChunkAlign) {
      std::pmr::new_delete_resource()->deallocate(p, bytes, alignment);
      return;
    }
    ChunkHeader* header = static_cast<ChunkHeader*>(p) - 1;
    if (header->slab == nullptr) {
      ::munmap(header, header->mapping_bytes);
      return;
    }
    Release(header->slab);
  }

  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override {
    return this == &other;
  }
};

}  // namespace

std::pmr::memory_resource* SlabResource() {
  // Never destroyed: chunks may be freed by static destructors at exit.
  static SlabMemoryResource* resource = new SlabMemoryResource();
  return resource;
}

#endif

}  // namespace skiff

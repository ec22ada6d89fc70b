#include "model/slab_resource.h"

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

#include "model/node.h"

namespace skiff {
namespace {

struct Chunk {
  void* p;
  size_t bytes;
};

void Fill(const Chunk& c, unsigned char v) { std::memset(c.p, v, c.bytes); }

bool Holds(const Chunk& c, unsigned char v) {
  const auto* b = static_cast<const unsigned char*>(c.p);
  for (size_t i = 0; i < c.bytes; ++i) {
    if (b[i] != v) return false;
  }
  return true;
}

// Chunks of every size a monotonic arena asks for, small to larger than a
// slab, are aligned, writable and disjoint: each keeps its own fill.
TEST(SlabResource, ChunksAreAlignedAndDisjoint) {
  std::pmr::memory_resource* r = SlabResource();
  std::vector<Chunk> chunks;
  for (size_t bytes : {size_t{1}, size_t{64}, size_t{1000}, size_t{64} << 10, size_t{512} << 10,
                       size_t{3} << 20, size_t{9} << 20, size_t{100}, size_t{256} << 10}) {
    chunks.push_back({r->allocate(bytes, 16), bytes});
  }
  for (size_t i = 0; i < chunks.size(); ++i) {
    EXPECT_EQ(reinterpret_cast<uintptr_t>(chunks[i].p) % 16, 0u) << i;
    Fill(chunks[i], static_cast<unsigned char>(i + 1));
  }
  for (size_t i = 0; i < chunks.size(); ++i) {
    EXPECT_TRUE(Holds(chunks[i], static_cast<unsigned char>(i + 1))) << i;
    r->deallocate(chunks[i].p, chunks[i].bytes, 16);
  }
  void* wide = r->allocate(100, 4096);  // beyond the slab alignment
  EXPECT_EQ(reinterpret_cast<uintptr_t>(wide) % 4096, 0u);
  r->deallocate(wide, 100, 4096);
}

// Chunks carved on worker threads are freed on another thread after the
// workers ended; once the last chunk of a slab is freed its memory is given
// back (checked where the resource is not plain operator new).
TEST(SlabResource, ChunksOutliveTheirThreadAndSlabsAreReturned) {
  std::pmr::memory_resource* r = SlabResource();
  std::vector<Chunk> chunks[2];
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      // Well past the first slab, into a second and third.
      for (int i = 0; i < 200; ++i) {
        Chunk c{r->allocate(64 << 10, 16), 64 << 10};
        Fill(c, static_cast<unsigned char>(t * 100 + i % 100));
        chunks[t].push_back(c);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int t = 0; t < 2; ++t) {
    for (size_t i = 0; i < chunks[t].size(); ++i) {
      ASSERT_TRUE(Holds(chunks[t][i], static_cast<unsigned char>(t * 100 + i % 100)));
    }
  }
  void* first = chunks[0].front().p;
  for (auto& list : chunks) {
    for (const Chunk& c : list) r->deallocate(c.p, c.bytes, 16);
  }
#if !defined(__SANITIZE_ADDRESS__)
  // msync fails with ENOMEM on an address no longer mapped.
  void* page = reinterpret_cast<void*>(reinterpret_cast<uintptr_t>(first) & ~uintptr_t{4095});
  errno = 0;
  EXPECT_NE(::msync(page, 4096, MS_ASYNC), 0);
  EXPECT_EQ(errno, ENOMEM);
#else
  (void)first;
#endif
}

TEST(SlabResource, BulkArenasHoldDocuments) {
  std::vector<std::unique_ptr<Arena>> arenas;
  std::vector<Node*> roots;
  for (int a = 0; a < 50; ++a) {
    arenas.push_back(std::make_unique<Arena>(Arena::Bulk{}));
    Arena& arena = *arenas.back();
    Node* root = arena.NewMap();
    for (int i = 0; i < 200; ++i) {
      root->Set(arena.Str("key" + std::to_string(i)), arena.NewString(arena.Str(std::to_string(a * i))));
    }
    roots.push_back(root);
  }
  for (int a = 0; a < 50; ++a) {
    ASSERT_EQ(roots[a]->entries().size(), 200u);
    EXPECT_EQ(roots[a]->GetString("key7"), std::to_string(a * 7));
  }
  arenas.clear();  // every chunk back
}

}  // namespace
}  // namespace skiff

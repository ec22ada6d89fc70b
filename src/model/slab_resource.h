// Arena chunks carved from per-thread slabs of address space.
//
// A render allocates tens of MiB of document nodes in a burst, from many
// small arenas (one per base built on a worker thread), and frees them
// together. Taken from malloc, every arena chunk grows a thread heap (an
// mprotect per growth, each one a TLB shootdown across the render's threads)
// and every 4 KiB page is one page fault. Carved from 4 MiB slabs that ask
// for transparent huge pages, the same memory costs one mapping per slab and
// one fault per 2 MiB. A thread's first slab is smaller and keeps normal
// pages, so a small render does not pay for zeroing huge pages it never uses.
//
// Chunks may be freed on any thread; a slab is unmapped when its last chunk
// is freed and its thread has moved on. With sanitizers the resource is
// plain operator new, so every chunk stays separately checked.
#pragma once

#include <memory_resource>

namespace skiff {

// Process-wide and thread-safe.
std::pmr::memory_resource* SlabResource();

}  // namespace skiff

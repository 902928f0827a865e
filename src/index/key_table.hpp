// A multimap from 64-bit keys to document numbers at 4 bytes a slot, for the index of streaming
// deduplication, which holds an entry per kept document in each of 25 LSH bands: a hash-map node
// per entry (MinHashLshIndex) costs about ten times as much, and at a million documents that is
// the difference between the index and the text dominating memory.
//
// Open addressing with linear probing in a capacity fixed up front (the document count is known
// from a first pass). A slot holds the document and, in the bits that the document number leaves
// free, a fingerprint of the key; the key itself is not kept. A lookup therefore finds every
// document added with the key and, rarely, another whose key shares fingerprint and probe run
// (about one probe in 2^(32 - bit_width(max_documents))): callers verify what it finds.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace neardup::detail {

__extension__ typedef unsigned __int128 KeyTableProduct;  // GCC and Clang; no ISO 128-bit type

class KeyTable {
 public:
  // Room for max_documents entries, of documents numbered below max_documents.
  explicit KeyTable(std::uint32_t max_documents)
      : document_bits_(static_cast<int>(std::bit_width(max_documents))),
        slots_(std::max<std::size_t>(16, std::size_t{max_documents} + max_documents / 4 + 1), 0) {}

  void add(std::uint64_t key, std::uint32_t document) {
    std::size_t slot = home(key);
    while (slots_[slot] != 0) slot = next(slot);
    slots_[slot] = static_cast<std::uint32_t>((fingerprint(key) << document_bits_) | (std::uint64_t{document} + 1));
  }

  // Calls visit(document) for every document added with the key, and rarely others; a document
  // added twice with the key is visited twice.
  template <class Visit>
  void for_each_candidate(std::uint64_t key, Visit&& visit) const {
    const std::uint64_t want = fingerprint(key);
    const std::uint64_t document_mask = (std::uint64_t{1} << document_bits_) - 1;
    for (std::size_t slot = home(key); slots_[slot] != 0; slot = next(slot))
      if ((std::uint64_t{slots_[slot]} >> document_bits_) == want)
        visit(static_cast<std::uint32_t>((slots_[slot] & document_mask) - 1));
  }

 private:
  // The key's high bits choose the home slot (by multiplication, as the capacity is no power of
  // two) and its low bits make the fingerprint, so that the two are independent.
  std::size_t home(std::uint64_t key) const noexcept {
    return static_cast<std::size_t>((static_cast<KeyTableProduct>(key) * slots_.size()) >> 64);
  }
  std::size_t next(std::size_t slot) const noexcept { return slot + 1 == slots_.size() ? 0 : slot + 1; }
  std::uint64_t fingerprint(std::uint64_t key) const noexcept {
    return key & ((std::uint64_t{1} << (32 - document_bits_)) - 1);
  }

  int document_bits_;
  std::vector<std::uint32_t> slots_;  // 0: empty
};

}  // namespace neardup::detail

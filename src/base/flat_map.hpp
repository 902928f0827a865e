// A hash map from 64-bit keys to 32-bit values in one flat array (open addressing, linear
// probing). The index looks up hundreds of feature and band keys per document among millions:
// std::unordered_map costs a heap node and two dependent cache misses per key, this one slot of
// 16 bytes and usually one miss.
#pragma once

#include <cstdint>
#include <vector>

namespace neardup::detail {

class FlatU64Map {
 public:
  // The value that marks an empty slot; it cannot be stored.
  static constexpr std::uint32_t none = 0xffffffffU;

  std::uint32_t find(std::uint64_t key) const noexcept {
    if (slots_.empty()) return none;
    for (std::size_t at = home(key);; at = (at + 1) & mask_) {
      const Slot& slot = slots_[at];
      if (slot.value == none || slot.key == key) return slot.value;
    }
  }

  // A hint that key is looked up soon: a lookup is a cache miss in a large map, and many in
  // flight at once cost little more than one.
  void prefetch(std::uint64_t key) const noexcept {
    if (!slots_.empty()) __builtin_prefetch(&slots_[home(key)]);
  }

  // The value of key, inserted as `none` when absent; the caller must then store a value other
  // than none before the next insertion. The reference lasts until the next insertion.
  std::uint32_t& find_or_insert(std::uint64_t key) {
    if ((size_ + 1) * 4 > slots_.size() * 3) grow((size_ + 1) * 2);
    for (std::size_t at = home(key);; at = (at + 1) & mask_) {
      Slot& slot = slots_[at];
      if (slot.value == none) {
        slot.key = key;
        ++size_;
        return slot.value;
      }
      if (slot.key == key) return slot.value;
    }
  }

  void reserve(std::size_t keys) {
    if (keys * 4 > slots_.size() * 3) grow(keys * 4 / 3 + 1);
  }

  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (const Slot& slot : slots_)
      if (slot.value != none) visit(slot.key, slot.value);
  }

  std::size_t size() const noexcept { return size_; }
  std::size_t bytes() const noexcept { return slots_.capacity() * sizeof(Slot); }

 private:
  struct Slot {
    std::uint64_t key = 0;
    std::uint32_t value = none;
  };

  // Keys are often hashes already, but not always (SimHash blocks): mix them (murmur3's
  // finaliser) so that linear probing sees spread-out homes.
  std::size_t home(std::uint64_t key) const noexcept {
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 33;
    key *= 0xc4ceb9fe1a85ec53ULL;
    key ^= key >> 33;
    return static_cast<std::size_t>(key) & mask_;
  }

  void grow(std::size_t at_least) {
    std::size_t capacity = 16;
    while (capacity < at_least) capacity *= 2;
    std::vector<Slot> old(capacity);
    old.swap(slots_);
    mask_ = capacity - 1;
    for (const Slot& slot : old)
      if (slot.value != none) {
        std::size_t at = home(slot.key);
        while (slots_[at].value != none) at = (at + 1) & mask_;
        slots_[at] = slot;
      }
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace neardup::detail

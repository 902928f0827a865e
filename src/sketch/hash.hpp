// The one place that hashes: XXH3-64, seeded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace neardup::detail {

std::uint64_t hash64(const void* data, std::size_t size, std::uint64_t seed) noexcept;

inline std::uint64_t hash64(std::string_view bytes, std::uint64_t seed) noexcept {
  return hash64(bytes.data(), bytes.size(), seed);
}

// Mixes a 64-bit value with a seed (a bijection of value for a fixed seed): for deriving
// further hashes from one shingle hash without re-reading the bytes.
std::uint64_t mix64(std::uint64_t value, std::uint64_t seed) noexcept;

}  // namespace neardup::detail

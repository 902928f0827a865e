// The only translation unit that includes xxhash.h, so the hash function can be swapped in one place.
#include "sketch/hash.hpp"

#include <bit>

// Inlined rather than called through the shared library, since most inputs are a word or a
// 4-byte gram and the call is then a large part of the work. Same algorithm, same values (the
// goldens and the index tests hold them).
#define XXH_INLINE_ALL
#include <xxhash.h>

namespace neardup::detail {

std::uint64_t hash64(const void* data, std::size_t size, std::uint64_t seed) noexcept {
  return XXH3_64bits_withSeed(data, size, seed);
}

// Pelle Evensen's rrmxmx finaliser applied to value ^ seed. Every step (xor with a constant,
// xor of rotations with an odd number of terms, multiply by an odd constant, xorshift) is
// invertible, so the whole map is a bijection of value for a fixed seed. It has full avalanche,
// which matters because callers feed it structured inputs (shingle hashes xor nearby seeds,
// small counters).
std::uint64_t mix64(std::uint64_t value, std::uint64_t seed) noexcept {
  constexpr std::uint64_t multiplier = 0x9fb21c651e98df25ULL;
  std::uint64_t x = value ^ seed;
  x ^= std::rotr(x, 49) ^ std::rotr(x, 24);
  x *= multiplier;
  x ^= x >> 28;
  x *= multiplier;
  return x ^ (x >> 28);
}

}  // namespace neardup::detail

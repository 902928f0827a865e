// Weighted 64-bit SimHash (Charikar 2002).
#include <array>
#include <bit>
#include <cstdio>
#include <string>

#include "neardup/error.hpp"
#include "neardup/sketch.hpp"
#include "sketch/hash.hpp"

namespace neardup {
namespace {

std::string seed_text(std::uint64_t seed) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "seed=0x%llx", static_cast<unsigned long long>(seed));
  return buffer;
}

}  // namespace

int SimHash::distance(const SimHash& other) const {
  if (seed_ != other.seed_) {
    throw Error(ErrorCode::incompatible_sketch,
                "cannot compare SimHashes: expected simhash(" + seed_text(seed_) + ") but got simhash(" +
                    seed_text(other.seed_) + ")");
  }
  return std::popcount(bits_ ^ other.bits_);
}

SimHash simhash(std::span<const std::uint64_t> hashes, std::span<const float> weights, std::uint64_t seed) {
  if (!weights.empty() && weights.size() != hashes.size()) {
    throw Error(ErrorCode::usage, "simhash: expected " + std::to_string(hashes.size()) + " weights but got " +
                                      std::to_string(weights.size()));
  }
  // Unweighted, each sum is (set bits - clear bits) of its position, which integer counts give
  // exactly; the float sums below are exact too while they stay within 2^24, so both agree.
  // Eight positions are counted at once in the bytes of one word (each byte of the hash picks
  // a word with its eight bits spread one to a byte), emptied before a byte can overflow.
  if (weights.empty() && hashes.size() <= (std::size_t{1} << 24)) {
    static constexpr auto spread = [] {
      std::array<std::uint64_t, 256> table{};
      for (unsigned byte = 0; byte < 256; ++byte)
        for (unsigned bit = 0; bit < 8; ++bit) table[byte] |= static_cast<std::uint64_t>((byte >> bit) & 1) << (8 * bit);
      return table;
    }();
    std::array<std::uint32_t, 64> set_bits{};
    std::array<std::uint64_t, 8> packed{};
    auto empty_packed = [&] {
      for (unsigned byte = 0; byte < 8; ++byte) {
        for (unsigned bit = 0; bit < 8; ++bit) set_bits[8 * byte + bit] += static_cast<std::uint32_t>((packed[byte] >> (8 * bit)) & 0xff);
        packed[byte] = 0;
      }
    };
    for (std::size_t i = 0; i < hashes.size(); ++i) {
      const std::uint64_t h = detail::mix64(hashes[i], seed);
      for (unsigned byte = 0; byte < 8; ++byte) packed[byte] += spread[(h >> (8 * byte)) & 0xff];
      if (i % 255 == 254) empty_packed();
    }
    empty_packed();
    std::uint64_t bits = 0;
    for (unsigned bit = 0; bit < 64; ++bit) bits |= static_cast<std::uint64_t>(2 * std::size_t{set_bits[bit]} > hashes.size()) << bit;
    return SimHash(bits, seed);
  }
  // Each byte of the hash picks a row of eight ±1 signs, so the 64 additions become eight
  // fixed-length runs of eight that the compiler turns into SIMD multiply-adds.
  static constexpr auto sign_table = [] {
    std::array<std::array<float, 8>, 256> table{};
    for (unsigned byte = 0; byte < 256; ++byte) {
      for (unsigned bit = 0; bit < 8; ++bit) table[byte][bit] = (byte >> bit) & 1 ? 1.0f : -1.0f;
    }
    return table;
  }();
  std::array<float, 64> sums{};
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    const std::uint64_t h = detail::mix64(hashes[i], seed);
    const float weight = weights.empty() ? 1.0f : weights[i];
    for (unsigned byte = 0; byte < 8; ++byte) {
      const auto& signs = sign_table[(h >> (8 * byte)) & 0xff];
      for (unsigned bit = 0; bit < 8; ++bit) sums[8 * byte + bit] += weight * signs[bit];
    }
  }
  std::uint64_t bits = 0;
  for (unsigned bit = 0; bit < 64; ++bit) bits |= static_cast<std::uint64_t>(sums[bit] > 0.0f) << bit;
  return SimHash(bits, seed);
}

}  // namespace neardup

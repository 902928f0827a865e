#include "store/index_spec.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "neardup/error.hpp"
#include "shingle/features.hpp"
#include "store/index_file.hpp"

namespace neardup {
namespace {

constexpr std::uint32_t max_minhash_k = 4096;
constexpr std::uint32_t max_word_shingle = 64;

std::string format_double(double value) {
  std::array<char, 32> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return std::string(buffer.data(), result.ptr);
}

template <typename Integer>
Integer parse_integer(std::string_view key, std::string_view value) {
  Integer result{};
  int base = 10;
  if (value.size() > 2 && value[0] == '0' && (value[1] == 'x' || value[1] == 'X')) {
    value.remove_prefix(2);
    base = 16;
  }
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), result, base);
  if (error != std::errc() || end != value.data() + value.size())
    throw Error(ErrorCode::usage, "index spec: " + std::string(key) + "=" + std::string(value) + " is not a whole number in range");
  return result;
}

}  // namespace

std::string IndexSpec::to_string() const {
  char seed[24];
  std::snprintf(seed, sizeof seed, "0x%llx", static_cast<unsigned long long>(minhash.seed));
  return "format=" + std::to_string(format_version) + ",word_shingle=" + std::to_string(word_shingle) +
         ",threshold=" + format_double(near_duplicate_threshold) + ",minhash_k=" + std::to_string(minhash.k) + ",minhash_seed=" + seed +
         ",minhash_scheme=" + (minhash.scheme == MinHashScheme::classic ? "classic" : "oph") + ",key_ngram=" + std::to_string(key_ngram);
}

IndexSpec IndexSpec::parse(std::string_view text) {
  IndexSpec spec;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const std::size_t equals = item.find('=');
    if (equals == std::string_view::npos) throw Error(ErrorCode::usage, "index spec: '" + std::string(item) + "' is not key=value");
    const std::string_view key = item.substr(0, equals), value = item.substr(equals + 1);
    if (key == "format") {
      spec.format_version = parse_integer<std::uint32_t>(key, value);
    } else if (key == "word_shingle") {
      spec.word_shingle = parse_integer<std::uint32_t>(key, value);
    } else if (key == "threshold") {
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), spec.near_duplicate_threshold);
      if (error != std::errc() || end != value.data() + value.size())
        throw Error(ErrorCode::usage, "index spec: threshold=" + std::string(value) + " is not a number");
    } else if (key == "minhash_k") {
      spec.minhash.k = parse_integer<std::uint32_t>(key, value);
    } else if (key == "minhash_seed") {
      spec.minhash.seed = parse_integer<std::uint64_t>(key, value);
    } else if (key == "minhash_scheme") {
      if (value == "oph") spec.minhash.scheme = MinHashScheme::one_permutation;
      else if (value == "classic") spec.minhash.scheme = MinHashScheme::classic;
      else throw Error(ErrorCode::usage, "index spec: minhash_scheme must be oph or classic, not '" + std::string(value) + "'");
    } else if (key == "key_ngram") {
      spec.key_ngram = parse_integer<std::uint32_t>(key, value);
    } else {
      throw Error(ErrorCode::usage, "index spec: unknown key '" + std::string(key) +
                                        "' (known: format, word_shingle, threshold, minhash_k, minhash_seed, minhash_scheme, key_ngram)");
    }
  }
  return spec;
}

namespace detail {

void validate(const IndexSpec& spec) {
  if (spec.format_version != index_format_version)
    throw Error(ErrorCode::usage, "index spec: format " + std::to_string(spec.format_version) + " cannot be written; this neardup writes format " +
                                      std::to_string(index_format_version));
  if (spec.word_shingle < 1 || spec.word_shingle > max_word_shingle)
    throw Error(ErrorCode::usage, "index spec: word_shingle must be in 1.." + std::to_string(max_word_shingle));
  if (!(spec.near_duplicate_threshold > 0.0 && spec.near_duplicate_threshold <= 1.0))
    throw Error(ErrorCode::usage, "index spec: threshold must be in (0, 1]");
  if (spec.minhash.k < 1 || spec.minhash.k > max_minhash_k)
    throw Error(ErrorCode::usage, "index spec: minhash_k must be in 1.." + std::to_string(max_minhash_k));
  if (spec.key_ngram != key_ngram)
    throw Error(ErrorCode::usage, "index spec: key_ngram " + std::to_string(spec.key_ngram) + " is not supported; this neardup computes " +
                                      std::to_string(key_ngram) + "-grams");
}

}  // namespace detail
}  // namespace neardup

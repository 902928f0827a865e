// What every fuzz target asserts with: a broken property aborts, which libFuzzer reports as a
// crash and saves the input that caused it (assert would vanish under NDEBUG).
#pragma once

#include <cstdlib>

namespace neardup::fuzz {

inline void check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace neardup::fuzz

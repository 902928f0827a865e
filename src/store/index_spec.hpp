// The index's spec (IndexSpec in neardup/persistent_index.hpp): what an index is built with and
// stores in its files, so that a reopened index prepares documents as it did.
#pragma once

#include "neardup/persistent_index.hpp"

namespace neardup::detail {

// Throws Error(usage) naming the first field this build cannot write or compute.
void validate(const IndexSpec& spec);

}  // namespace neardup::detail

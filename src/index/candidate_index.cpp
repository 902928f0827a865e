#include "index/candidate_index.hpp"

#include <algorithm>

namespace neardup::detail {

CandidateIndex::CandidateIndex(const CandidateSearch& search, std::uint32_t max_documents)
    : search_(search), simhash_(search.simhash_seed, search.simhash_distance) {
  if (search.sketch == SketchKind::minhash) bands_.assign(search.banding.bands, KeyTable(max_documents));
}

std::vector<std::uint64_t> CandidateIndex::keys(const std::vector<std::uint64_t>& shingles) const {
  if (shingles.empty()) return {};
  if (search_.sketch == SketchKind::simhash) return {simhash(shingles, {}, search_.simhash_seed).bits()};
  const MinHashSketch sketch = minhash(shingles, search_.minhash);
  std::vector<std::uint64_t> keys(search_.banding.bands);
  for (std::uint32_t band = 0; band < search_.banding.bands; ++band)
    keys[band] = band_key(sketch.values().data(), band, search_.banding.rows);
  return keys;
}

void CandidateIndex::add(const std::vector<std::uint64_t>& keys, std::uint32_t document) {
  if (keys.empty()) return;
  if (search_.sketch == SketchKind::simhash) {
    simhash_.insert(document, SimHash(keys[0], search_.simhash_seed));
    return;
  }
  for (std::size_t band = 0; band < keys.size(); ++band) bands_[band].add(keys[band], document);
}

std::vector<std::uint32_t> CandidateIndex::candidates(const std::vector<std::uint64_t>& keys) const {
  if (keys.empty()) return {};
  if (search_.sketch == SketchKind::simhash) return simhash_.query(SimHash(keys[0], search_.simhash_seed));
  std::vector<std::uint32_t> found;
  for (std::size_t band = 0; band < keys.size(); ++band)
    bands_[band].for_each_candidate(keys[band], [&](std::uint32_t document) { found.push_back(document); });
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

}  // namespace neardup::detail

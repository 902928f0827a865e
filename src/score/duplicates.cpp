#include "score/duplicates.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <unordered_map>

#include "base/parallel.hpp"
#include "index/lsh.hpp"

namespace neardup::detail {

namespace {

std::size_t shared_count(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  std::size_t shared = 0;
  for (std::size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] == b[j]) ++shared, ++i, ++j;
    else if (a[i] < b[j]) ++i;
    else ++j;
  }
  return shared;
}

// Two sets with SimHash cosine c differ in a bit with probability angle / pi.
int simhash_distance_for_cosine(double cosine) {
  return static_cast<int>(std::floor(64.0 * std::acos(std::clamp(cosine, -1.0, 1.0)) / std::numbers::pi));
}

}  // namespace

double jaccard(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  if (a.empty() && b.empty()) return 0.0;
  const std::size_t shared = shared_count(a, b);
  return static_cast<double>(shared) / static_cast<double>(a.size() + b.size() - shared);
}

double containment(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  if (a.empty() || b.empty()) return 0.0;
  return static_cast<double>(shared_count(a, b)) / static_cast<double>(std::min(a.size(), b.size()));
}

double sentences_found(const WordShingles& a, const WordShingles& b) {
  if (a.hashes.empty()) return 0.0;
  if (a.sentences.empty()) return shared_count(a.hashes, b.hashes) > 0 ? 1.0 : 0.0;
  const std::uint32_t count = *std::max_element(a.sentences.begin(), a.sentences.end()) + 1;
  std::vector<std::uint32_t> shingles(count), shared(count);
  for (std::uint32_t sentence : a.sentences) ++shingles[sentence];
  const auto& x = a.hashes;
  const auto& y = b.hashes;
  for (std::size_t i = 0, j = 0; i < x.size() && j < y.size();) {
    if (x[i] == y[j]) ++shared[a.sentences[i]], ++i, ++j;
    else if (x[i] < y[j]) ++i;
    else ++j;
  }
  std::uint32_t found = 0;
  for (std::uint32_t s = 0; s < count; ++s)
    if (shingles[s] > 0 && shared[s] > 0 && shared[s] >= sentence_found_share * shingles[s]) ++found;
  const auto sentences = static_cast<std::uint32_t>(std::count_if(shingles.begin(), shingles.end(), [](std::uint32_t n) { return n > 0; }));
  return static_cast<double>(found) / static_cast<double>(sentences);
}

std::optional<double> near_duplicate_score(const WordShingles& a, const WordShingles& b, const DuplicateOptions& options) {
  const double score = options.measure == DuplicateMeasure::containment ? containment(a.hashes, b.hashes) : jaccard(a.hashes, b.hashes);
  if (score < options.threshold) return std::nullopt;
  const std::size_t shorter = std::min(a.hashes.size(), b.hashes.size());
  const double spread = std::max(a.hashes.size() == shorter ? sentences_found(a, b) : 0.0,
                                 b.hashes.size() == shorter ? sentences_found(b, a) : 0.0);
  if (spread < options.threshold) return std::nullopt;
  return score;
}

// A pair at containment t whose sizes are s and r * s shares t * s shingles of (1 + r) * s - t * s.
double candidate_jaccard(const DuplicateOptions& options) {
  const double t = options.threshold;
  if (options.measure == DuplicateMeasure::jaccard) return t;
  return t / (1.0 + containment_size_ratio - t);
}

BandingParams candidate_banding(const DuplicateOptions& options) {
  return choose_banding(options.minhash.k, std::min(candidate_jaccard(options), 0.99));
}

// The cosine of two sets is |A∩B| / sqrt(|A| |B|): at least 2J / (1 + J) for Jaccard J (equal
// sizes are the worst case), and at least t / sqrt(r) for containment t at size ratio r.
int candidate_simhash_distance(const DuplicateOptions& options) {
  if (options.measure == DuplicateMeasure::jaccard) return simhash_distance_for(options.threshold);
  return simhash_distance_for_cosine(options.threshold / std::sqrt(containment_size_ratio));
}

CandidateSearch candidate_search(const DuplicateOptions& options) {
  return {options.sketch, options.minhash,
          options.sketch == SketchKind::minhash ? candidate_banding(options) : BandingParams{},
          options.simhash_seed, candidate_simhash_distance(options)};
}

namespace {

using Candidates = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

// Candidate pairs among the indexed documents (ascending).
Candidates minhash_candidates(const std::vector<PreparedDocument>& documents, const std::vector<std::uint32_t>& indexed,
                              const DuplicateOptions& options) {
  std::vector<MinHashSketch> sketches(indexed.size(), MinHashSketch(options.minhash, {}));
  parallel_for(options.threads, indexed.size(),
               [&](std::size_t i) { sketches[i] = minhash(documents[indexed[i]].word_shingles.hashes, options.minhash); });
  MinHashLshIndex index(options.minhash, candidate_banding(options));
  for (std::size_t i = 0; i < indexed.size(); ++i)
    if (!sketches[i].empty_set()) index.insert(indexed[i], sketches[i]);
  return index.candidate_pairs();
}

Candidates simhash_candidates(const std::vector<PreparedDocument>& documents, const std::vector<std::uint32_t>& indexed,
                              const DuplicateOptions& options) {
  std::vector<SimHash> hashes(indexed.size(), SimHash(0, options.simhash_seed));
  parallel_for(options.threads, indexed.size(),
               [&](std::size_t i) { hashes[i] = simhash(documents[indexed[i]].word_shingles.hashes, {}, options.simhash_seed); });
  SimHashIndex index(options.simhash_seed, candidate_simhash_distance(options));
  for (std::size_t i = 0; i < indexed.size(); ++i)
    if (!documents[indexed[i]].word_shingles.hashes.empty()) index.insert(indexed[i], hashes[i]);
  return index.candidate_pairs();
}

}  // namespace

// Two sets of equal size with Jaccard J have cosine 2J / (1 + J).
int simhash_distance_for(double jaccard_threshold) {
  return simhash_distance_for_cosine(2.0 * jaccard_threshold / (1.0 + jaccard_threshold));
}

std::vector<DuplicatePair> find_duplicates(const std::vector<PreparedDocument>& documents, const DuplicateOptions& options) {
  const auto n = static_cast<std::uint32_t>(documents.size());
  std::vector<DuplicatePair> pairs;

  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> by_text;
  for (std::uint32_t i = 0; i < n; ++i) by_text[documents[i].exact_hash].push_back(i);
  // Copies of one text have its shingles, and so its candidates and scores: the first of each
  // group is indexed and verified, and what it is a near-duplicate of, every copy is. 100,000
  // copies of one text then make one entry per band, not a bucket of five billion couples.
  std::vector<const std::vector<std::uint32_t>*> copies_of(n, nullptr);
  std::vector<std::uint32_t> indexed;
  for (const auto& [hash, members] : by_text) {
    for_each_group_pair(members, options.all_pairs,
                        [&](std::uint32_t a, std::uint32_t b) { pairs.push_back({a, b, Relation::exact_duplicate, 1.0}); });
    copies_of[members.front()] = &members;
    indexed.push_back(members.front());
  }
  std::sort(indexed.begin(), indexed.end());

  const auto candidates = options.sketch == SketchKind::minhash ? minhash_candidates(documents, indexed, options)
                                                                 : simhash_candidates(documents, indexed, options);
  std::vector<std::optional<double>> scores(candidates.size());
  parallel_for(options.threads, candidates.size(), [&](std::size_t c) {
    const auto [a, b] = candidates[c];
    scores[c] = near_duplicate_score(documents[a].word_shingles, documents[b].word_shingles, options);
  }, 256);
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    if (!scores[c]) continue;
    for (std::uint32_t a : *copies_of[candidates[c].first])
      for (std::uint32_t b : *copies_of[candidates[c].second])
        pairs.push_back({std::min(a, b), std::max(a, b), Relation::near_duplicate, *scores[c]});
  }

  std::sort(pairs.begin(), pairs.end(), [](const DuplicatePair& x, const DuplicatePair& y) {
    return std::pair(x.a, x.b) < std::pair(y.a, y.b);
  });
  return pairs;
}

}  // namespace neardup::detail

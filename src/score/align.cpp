#include "score/align.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace neardup::detail {
namespace {

// A 1-2 or 2-1 bead must do better than a 1-1 bead and a skip by this much: most sentences of
// a translation are translated one to one.
constexpr float merge_penalty = 0.05f;
// Weight of the squared log of a bead's length ratio over the documents' ratio (Gale-Church): a
// prior, small against similarity, that settles which of two neighbours a sentence goes with.
constexpr float length_weight = 0.05f;
// What a bead earns for its lengths alone: in a pair with beads that share features, sentences of
// consistent lengths are aligned although they share none, as Gale and Church align on length
// only. Such beads are evidence of order, not of translation: they never count towards coverage.
constexpr float length_reward = 0.08f;
// Documents with more DP positions than this are aligned through a coarsened copy.
constexpr std::size_t max_full_positions = 128 * 128;
// How far (in sentences) the fine search strays from the projected coarse path.
constexpr std::uint32_t coarse_window = 3;

// The positions (i sentences of a, j of b consumed) that the search may visit: per row i, the
// columns [lo, hi]. Consecutive rows overlap, so the end is always reachable.
struct Band {
  std::vector<std::uint32_t> lo, hi;
};

Band full_band(std::uint32_t n, std::uint32_t m) { return {std::vector<std::uint32_t>(n + 1, 0), std::vector<std::uint32_t>(n + 1, m)}; }

enum class Move : std::uint8_t { start, skip_a, skip_b, one_one, two_one, one_two };

struct Step {
  std::uint32_t i, j;  // position after the move
  Move move;
  float similarity;
};

// The similarity of sentence i of a and j of b, for the cells the band can use: cell (i, j) is
// the 1-1 bead into position (i + 1, j + 1). Accumulated by one merge of the two feature lists.
class BandedSimilarity {
 public:
  BandedSimilarity(const SentenceIndex& a, const SentenceIndex& b, const Band& band) {
    const std::uint32_t n = a.sentence_count();
    first_.resize(n);
    last_.resize(n);
    offset_.resize(n + 1, 0);
    for (std::uint32_t i = 0; i < n; ++i) {
      first_[i] = std::max(band.lo[i + 1], 1u) - 1;
      last_[i] = std::max(band.hi[i + 1], 1u);  // exclusive
      offset_[i + 1] = offset_[i] + (last_[i] > first_[i] ? last_[i] - first_[i] : 0);
    }
    values_ = Eigen::VectorXf::Zero(static_cast<Eigen::Index>(offset_[n]));
    const auto& x = a.entries();
    const auto& y = b.entries();
    for (std::size_t i = 0, j = 0; i < x.size() && j < y.size();) {
      if (x[i].id < y[j].id) {
        ++i;
      } else if (y[j].id < x[i].id) {
        ++j;
      } else {
        const std::uint32_t id = x[i].id;
        std::size_t y_end = j;
        while (y_end < y.size() && y[y_end].id == id) ++y_end;
        for (; i < x.size() && x[i].id == id; ++i) {
          const std::uint32_t row = x[i].sentence;
          auto it = std::lower_bound(y.begin() + static_cast<std::ptrdiff_t>(j), y.begin() + static_cast<std::ptrdiff_t>(y_end), first_[row],
                                     [](const SentenceIndex::Entry& entry, std::uint32_t s) { return entry.sentence < s; });
          for (; it != y.begin() + static_cast<std::ptrdiff_t>(y_end) && it->sentence < last_[row]; ++it)
            values_[static_cast<Eigen::Index>(offset_[row] + it->sentence - first_[row])] += x[i].weight * it->weight;
        }
        j = y_end;
      }
    }
  }
  float operator()(std::uint32_t i, std::uint32_t j) const {
    if (j < first_[i] || j >= last_[i]) return 0.0f;
    return values_[static_cast<Eigen::Index>(offset_[i] + j - first_[i])];
  }

 private:
  std::vector<std::uint32_t> first_, last_, offset_;
  Eigen::VectorXf values_;
};

// The best path through the band, from (0, 0) to (n, m), as its steps. `reward` is what a bead
// earns for its lengths alone (0: only shared features align).
std::vector<Step> best_path_in(const SentenceIndex& a, const SentenceIndex& b, const Band& band, const BandedSimilarity& similarity,
                               float min_similarity, float reward) {
  const std::uint32_t n = a.sentence_count(), m = b.sentence_count();
  const auto log_ratio = static_cast<float>(a.total_length() > 0.0 && b.total_length() > 0.0 ? std::log(b.total_length() / a.total_length()) : 0.0);
  // Logs of the lengths of each sentence and of each two neighbours, taken once rather than per
  // cell; NaN where there is no text, which has no prior.
  auto log_lengths = [](const SentenceIndex& index, std::uint32_t count) {
    std::array<std::vector<float>, 2> logs{std::vector<float>(count + 1, NAN), std::vector<float>(count + 1, NAN)};
    for (std::uint32_t k = 1; k <= count; ++k) {
      if (index.length(k - 1) > 0.0f) logs[0][k] = std::log(index.length(k - 1));
      if (k > 1 && index.length(k - 2) + index.length(k - 1) > 0.0f) logs[1][k] = std::log(index.length(k - 2) + index.length(k - 1));
    }
    return logs;
  };
  const auto logs_a = log_lengths(a, n), logs_b = log_lengths(b, m);
  auto length_prior = [&](float log_a, float log_b) {
    if (std::isnan(log_a) || std::isnan(log_b)) return 0.0f;
    const float excess = log_b - log_a - log_ratio;
    return length_weight * excess * excess;
  };
  std::vector<std::size_t> offset(n + 2, 0);
  for (std::uint32_t i = 0; i <= n; ++i) offset[i + 1] = offset[i] + (band.hi[i] - band.lo[i] + 1);
  constexpr float unreachable = -std::numeric_limits<float>::infinity();
  std::vector<float> score(offset[n + 1], unreachable);
  std::vector<Move> move(offset[n + 1], Move::start);
  auto at = [&](std::uint32_t i, std::uint32_t j) -> std::ptrdiff_t {
    if (j < band.lo[i] || j > band.hi[i]) return -1;
    return static_cast<std::ptrdiff_t>(offset[i] + j - band.lo[i]);
  };
  auto score_at = [&](std::uint32_t i, std::uint32_t j) {
    const auto k = at(i, j);
    return k < 0 ? unreachable : score[static_cast<std::size_t>(k)];
  };
  const float merged = 1.0f / std::sqrt(2.0f);  // cosine with the sum of two unit vectors about orthogonal
  for (std::uint32_t i = 0; i <= n; ++i)
    for (std::uint32_t j = band.lo[i]; j <= band.hi[i]; ++j) {
      const auto here = static_cast<std::size_t>(at(i, j));
      if (i == 0 && j == 0) {
        score[here] = 0.0f;
        continue;
      }
      float best = unreachable;
      Move best_move = Move::start;
      auto consider = [&](float value, Move candidate) {
        if (value > best) best = value, best_move = candidate;
      };
      if (i > 0) consider(score_at(i - 1, j), Move::skip_a);
      if (j > 0) consider(score_at(i, j - 1), Move::skip_b);
      if (i > 0 && j > 0) {
        const float s = similarity(i - 1, j - 1);
        consider(score_at(i - 1, j - 1) + s - min_similarity + reward - length_prior(logs_a[0][i], logs_b[0][j]), Move::one_one);
        if (i > 1) {
          const float s2 = (similarity(i - 2, j - 1) + s) * merged;
          consider(score_at(i - 2, j - 1) + s2 - min_similarity - merge_penalty + reward - length_prior(logs_a[1][i], logs_b[0][j]),
                   Move::two_one);
        }
        if (j > 1) {
          const float s2 = (similarity(i - 1, j - 2) + s) * merged;
          consider(score_at(i - 1, j - 2) + s2 - min_similarity - merge_penalty + reward - length_prior(logs_a[0][i], logs_b[1][j]),
                   Move::one_two);
        }
      }
      score[here] = best;
      move[here] = best_move;
    }
  std::vector<Step> steps;
  for (std::uint32_t i = n, j = m;;) {
    const Move step = move[static_cast<std::size_t>(at(i, j))];
    float bead_similarity = 0.0f;
    switch (step) {
      case Move::one_one: bead_similarity = similarity(i - 1, j - 1); break;
      case Move::two_one: bead_similarity = (similarity(i - 2, j - 1) + similarity(i - 1, j - 1)) * merged; break;
      case Move::one_two: bead_similarity = (similarity(i - 1, j - 2) + similarity(i - 1, j - 1)) * merged; break;
      default: break;
    }
    steps.push_back({i, j, step, bead_similarity});
    if (step == Move::start) break;
    i -= (step == Move::skip_b) ? 0 : (step == Move::two_one ? 2 : 1);
    j -= (step == Move::skip_a) ? 0 : (step == Move::one_two ? 2 : 1);
  }
  std::reverse(steps.begin(), steps.end());
  return steps;
}

// The band around a coarse path projected onto the full resolution: each coarse step's
// rectangle, widened by the window.
Band band_around(const std::vector<Step>& coarse, std::uint32_t n, std::uint32_t m) {
  Band band{std::vector<std::uint32_t>(n + 1, m), std::vector<std::uint32_t>(n + 1, 0)};
  for (std::size_t s = 1; s < coarse.size(); ++s) {
    const std::uint32_t row_begin = std::min(2 * coarse[s - 1].i, n), row_end = std::min(2 * coarse[s].i, n);
    const std::uint32_t col_begin = std::min(2 * coarse[s - 1].j, m), col_end = std::min(2 * coarse[s].j, m);
    const std::uint32_t lo = col_begin > coarse_window ? col_begin - coarse_window : 0;
    const std::uint32_t hi = std::min(col_end + coarse_window, m);
    for (std::uint32_t row = row_begin; row <= row_end; ++row) {
      band.lo[row] = std::min(band.lo[row], lo);
      band.hi[row] = std::max(band.hi[row], hi);
    }
  }
  return band;
}

// The band of a pair and the similarities in it, found once for both paths (with and without the
// length reward): the whole matrix for small pairs, else the window around the coarse path.
class PathSearch {
 public:
  PathSearch(const SentenceIndex& a, const SentenceIndex& b, float min_similarity)
      : a_(a), b_(b), min_similarity_(min_similarity), band_(band_for(a, b, min_similarity)), similarity_(a, b, band_) {}
  std::vector<Step> best_path(float reward) const { return best_path_in(a_, b_, band_, similarity_, min_similarity_, reward); }

 private:
  static Band band_for(const SentenceIndex& a, const SentenceIndex& b, float min_similarity) {
    const std::uint32_t n = a.sentence_count(), m = b.sentence_count();
    if (static_cast<std::size_t>(n + 1) * (m + 1) <= max_full_positions || n < 2 || m < 2) return full_band(n, m);
    const SentenceIndex coarse_a = a.coarsened(), coarse_b = b.coarsened();
    return band_around(PathSearch(coarse_a, coarse_b, min_similarity).best_path(0.0f), n, m);
  }
  const SentenceIndex& a_;
  const SentenceIndex& b_;
  float min_similarity_;
  Band band_;
  BandedSimilarity similarity_;
};

bool is_bead(const Step& step) { return step.move == Move::one_one || step.move == Move::two_one || step.move == Move::one_two; }

SentenceMatch match_of(const Step& step) {
  return {step.i - (step.move == Move::two_one ? 2 : 1), step.i, step.j - (step.move == Move::one_two ? 2 : 1), step.j, step.similarity};
}

}  // namespace

SentenceIndex::SentenceIndex(const std::vector<SparseVector>& sentences, std::vector<float> lengths) : lengths_(std::move(lengths)) {
  lengths_.resize(sentences.size(), 0.0f);
  featured_lengths_.resize(sentences.size(), 0.0f);
  for (std::uint32_t s = 0; s < sentences.size(); ++s) {
    if (!sentences[s].empty()) featured_lengths_[s] = lengths_[s];
    total_length_ += lengths_[s];
    total_featured_length_ += featured_lengths_[s];
    for (const auto& feature : sentences[s]) entries_.push_back({feature.id, s, feature.weight});
  }
  std::sort(entries_.begin(), entries_.end(), [](const Entry& x, const Entry& y) {
    return x.id < y.id || (x.id == y.id && x.sentence < y.sentence);
  });
}

SentenceIndex SentenceIndex::coarsened() const {
  SentenceIndex blocks;
  blocks.lengths_.assign((lengths_.size() + 1) / 2, 0.0f);
  blocks.featured_lengths_.assign(blocks.lengths_.size(), 0.0f);
  for (std::size_t s = 0; s < lengths_.size(); ++s) {
    blocks.lengths_[s / 2] += lengths_[s];
    blocks.featured_lengths_[s / 2] += featured_lengths_[s];
  }
  blocks.total_length_ = total_length_;
  blocks.total_featured_length_ = total_featured_length_;
  std::vector<double> norm(blocks.lengths_.size(), 0.0);
  for (const Entry& entry : entries_) {
    const std::uint32_t block = entry.sentence / 2;
    if (!blocks.entries_.empty() && blocks.entries_.back().id == entry.id && blocks.entries_.back().sentence == block)
      blocks.entries_.back().weight += entry.weight;
    else
      blocks.entries_.push_back({entry.id, block, entry.weight});
  }
  for (const Entry& entry : blocks.entries_) norm[entry.sentence] += static_cast<double>(entry.weight) * entry.weight;
  for (Entry& entry : blocks.entries_) entry.weight /= static_cast<float>(std::sqrt(norm[entry.sentence]));
  return blocks;
}

SentenceAlignment align_sentences(const SentenceIndex& a, const SentenceIndex& b, float min_similarity) {
  SentenceAlignment alignment;
  if (a.total_featured_length() <= 0.0 || b.total_featured_length() <= 0.0) return alignment;
  // Coverage, which decides, counts only what shared features align: the path without the
  // length reward, so that lengths never make a pair look more translated than its words do.
  double covered_a = 0.0, covered_b = 0.0;
  std::size_t evidence_beads = 0;
  const PathSearch search(a, b, min_similarity);
  for (const Step& step : search.best_path(0.0f)) {
    if (!is_bead(step)) continue;
    const SentenceMatch match = match_of(step);
    for (std::uint32_t s = match.a_begin; s < match.a_end; ++s) covered_a += a.featured_length(s);
    for (std::uint32_t s = match.b_begin; s < match.b_end; ++s) covered_b += b.featured_length(s);
    alignment.matches.push_back(match);
    evidence_beads += match.similarity > min_similarity ? 1 : 0;
  }
  alignment.coverage_a = covered_a / a.total_featured_length();
  alignment.coverage_b = covered_b / b.total_featured_length();
  if (evidence_beads < 2) return alignment;
  // The evidence: the same search with the length reward, which also aligns the sentences that
  // share no features (between and around those that do) where their lengths agree.
  alignment.matches.clear();
  for (const Step& step : search.best_path(length_reward))
    if (is_bead(step)) alignment.matches.push_back(match_of(step));
  return alignment;
}

}  // namespace neardup::detail

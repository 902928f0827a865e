#include "score/align.hpp"

#include <Eigen/Dense>
#include <algorithm>

namespace neardup::detail {
namespace {

// Length of the longest strictly increasing subsequence (patience sorting).
std::size_t longest_increasing(const std::vector<std::uint32_t>& values) {
  std::vector<std::uint32_t> tails;
  for (std::uint32_t value : values) {
    auto it = std::lower_bound(tails.begin(), tails.end(), value);
    if (it == tails.end()) tails.push_back(value);
    else *it = value;
  }
  return tails.size();
}

}  // namespace

SentenceIndex::SentenceIndex(const std::vector<SparseVector>& sentences)
    : sentence_count_(static_cast<std::uint32_t>(sentences.size())) {
  for (std::uint32_t s = 0; s < sentences.size(); ++s) {
    non_empty_count_ += sentences[s].empty() ? 0 : 1;
    for (const auto& feature : sentences[s]) entries_.push_back({feature.id, s, feature.weight});
  }
  std::sort(entries_.begin(), entries_.end(), [](const Entry& x, const Entry& y) {
    return x.id < y.id || (x.id == y.id && x.sentence < y.sentence);
  });
}

SentenceAlignment align_sentences(const SentenceIndex& a, const SentenceIndex& b, float min_similarity) {
  SentenceAlignment alignment;
  const std::uint32_t shorter = std::min(a.non_empty_count(), b.non_empty_count());
  if (shorter == 0) return alignment;
  Eigen::MatrixXf similarity = Eigen::MatrixXf::Zero(a.sentence_count(), b.sentence_count());
  const auto& x = a.entries();
  const auto& y = b.entries();
  for (std::size_t i = 0, j = 0; i < x.size() && j < y.size();) {
    if (x[i].id < y[j].id) {
      ++i;
    } else if (y[j].id < x[i].id) {
      ++j;
    } else {
      const std::uint32_t id = x[i].id;
      const std::size_t j_start = j;
      for (; i < x.size() && x[i].id == id; ++i)
        for (j = j_start; j < y.size() && y[j].id == id; ++j) similarity(x[i].sentence, y[j].sentence) += x[i].weight * y[j].weight;
    }
  }

  Eigen::Index best_column = 0;
  Eigen::Index best_row = 0;
  for (Eigen::Index row = 0; row < similarity.rows(); ++row) {
    const float best = similarity.row(row).maxCoeff(&best_column);
    if (best < min_similarity) continue;
    similarity.col(best_column).maxCoeff(&best_row);
    if (best_row == row)
      alignment.matches.push_back({static_cast<std::uint32_t>(row), static_cast<std::uint32_t>(best_column), best});
  }
  if (alignment.matches.empty()) return alignment;
  std::vector<std::uint32_t> b_order;
  b_order.reserve(alignment.matches.size());
  for (const auto& match : alignment.matches) b_order.push_back(match.b);
  alignment.share = static_cast<double>(alignment.matches.size()) / static_cast<double>(shorter);
  alignment.order = static_cast<double>(longest_increasing(b_order)) / static_cast<double>(alignment.matches.size());
  return alignment;
}

}  // namespace neardup::detail

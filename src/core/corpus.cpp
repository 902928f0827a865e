#include "core/corpus.hpp"

#include <numeric>

#include "core/parallel.hpp"

namespace neardup::detail {

const std::vector<std::uint32_t>& Corpus::members_of(std::uint32_t representative_document) const {
  return groups.at(representative_document);
}

std::vector<const PreparedDocument*> Corpus::representative_documents() const {
  std::vector<const PreparedDocument*> result;
  result.reserve(representatives.size());
  for (std::uint32_t d : representatives) result.push_back(&prepared[d]);
  return result;
}

std::unordered_map<std::uint64_t, std::string> Corpus::anchor_spellings(std::uint32_t document) const {
  return detail::anchor_spellings((*documents)[document], lines[document], boilerplate);
}

Corpus prepare_corpus(const std::vector<Document>& documents, const PipelineOptions& options) {
  Corpus corpus;
  corpus.documents = &documents;
  const auto n = static_cast<std::uint32_t>(documents.size());
  corpus.lines.resize(n);
  parallel_for(n, [&](std::size_t d) { corpus.lines[d] = normalised_lines(documents[d].text); });
  corpus.boilerplate = find_boilerplate(corpus.lines);
  corpus.prepared.resize(n);
  parallel_for(n, [&](std::size_t d) {
    corpus.prepared[d] = prepare(documents[d], corpus.lines[d], corpus.boilerplate, options.word_shingle);
  });
  corpus.duplicates = find_duplicates(corpus.prepared, options);

  // Groups are the connected components of duplicate pairs; the first member represents them.
  std::vector<std::uint32_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0u);
  auto find = [&](std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const auto& pair : corpus.duplicates) {
    const std::uint32_t root_a = find(pair.a), root_b = find(pair.b);
    if (root_a != root_b) parent[std::max(root_a, root_b)] = std::min(root_a, root_b);
  }
  corpus.representative.resize(n);
  for (std::uint32_t d = 0; d < n; ++d) {
    corpus.representative[d] = find(d);
    corpus.groups[corpus.representative[d]].push_back(d);
    if (corpus.representative[d] == d) corpus.representatives.push_back(d);
  }
  return corpus;
}

}  // namespace neardup::detail

#include "batch/corpus.hpp"

#include <algorithm>

#include "base/disjoint_sets.hpp"
#include "base/parallel.hpp"

namespace neardup::detail {
namespace {

constexpr std::uint32_t progress_chunk = 4096;

}  // namespace

void report(const PipelineOptions& options, std::string_view stage, std::uint64_t documents, std::uint64_t bytes, double fraction) {
  if (options.progress) options.progress(Progress{stage, documents, bytes, fraction});
}

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

DuplicateOptions duplicate_options(const PipelineOptions& options) {
  return {options.near_duplicate_threshold, options.measure, options.sketch, options.minhash,
          options.simhash_seed, options.all_pairs, options.threads};
}

StoryLinkOptions story_link_options(const PipelineOptions& options) {
  return {options.find_same_story, options.one_to_one,
          options.translation_threshold > 0.0 ? options.translation_threshold : translation_probability};
}

Corpus prepare_corpus(const std::vector<Document>& documents, const PipelineOptions& options) {
  Corpus corpus;
  corpus.documents = &documents;
  const auto n = static_cast<std::uint32_t>(documents.size());
  corpus.lines.resize(n);
  corpus.prepared.resize(n);
  // In chunks, so that a long run can say how far it is.
  const auto in_chunks = [&](std::string_view stage, auto&& body) {
    std::uint64_t bytes = 0;
    report(options, stage, 0, 0, 0.0);
    for (std::uint32_t begin = 0; begin < n; begin += progress_chunk) {
      const std::uint32_t end = std::min(n, begin + progress_chunk);
      parallel_for(options.threads, end - begin, [&](std::size_t i) { body(begin + i); });
      for (std::uint32_t d = begin; d < end; ++d) bytes += documents[d].text.size();
      report(options, stage, end, bytes, static_cast<double>(end) / n);
    }
  };
  in_chunks("normalising", [&](std::size_t d) { corpus.lines[d] = normalised_lines(documents[d].text); });
  corpus.boilerplate = find_boilerplate(corpus.lines);
  in_chunks("preparing", [&](std::size_t d) {
    corpus.prepared[d] = prepare(documents[d], corpus.lines[d], corpus.boilerplate, options.word_shingle);
  });
  report(options, "finding duplicates", n, 0, -1.0);
  corpus.duplicates = find_duplicates(corpus.prepared, duplicate_options(options));

  // Groups are the connected components of duplicate pairs; the first member represents them.
  DisjointSets sets(n);
  for (const auto& pair : corpus.duplicates) sets.join(pair.a, pair.b);
  corpus.representative.resize(n);
  for (std::uint32_t d = 0; d < n; ++d) {
    corpus.representative[d] = sets.find(d);
    corpus.groups[corpus.representative[d]].push_back(d);
    if (corpus.representative[d] == d) corpus.representatives.push_back(d);
  }
  return corpus;
}

}  // namespace neardup::detail

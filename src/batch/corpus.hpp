// A corpus prepared for comparison: every document's features, the boilerplate found across
// documents, and the groups of duplicates (whose representatives stand for them when
// translations are sought, so that four copies of one text count as one version).
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "neardup/pipeline.hpp"
#include "score/duplicates.hpp"
#include "score/translation.hpp"
#include "shingle/features.hpp"

namespace neardup::detail {

struct Corpus {
  const std::vector<Document>* documents = nullptr;
  std::vector<std::vector<NormalisedLine>> lines;
  std::unordered_set<std::uint64_t> boilerplate;
  std::vector<PreparedDocument> prepared;
  std::vector<DuplicatePair> duplicates;
  std::vector<std::uint32_t> representative;   // per document: its duplicate group's first member
  std::vector<std::uint32_t> representatives;  // the representatives, ascending
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> groups;  // representative -> members

  const std::vector<std::uint32_t>& members_of(std::uint32_t representative_document) const;
  std::vector<const PreparedDocument*> representative_documents() const;
  std::unordered_map<std::uint64_t, std::string> anchor_spellings(std::uint32_t document) const;
};

// The duplicate stage's part of the options.
DuplicateOptions duplicate_options(const PipelineOptions& options);
// The story decisions' part (a translation_threshold of 0 is the models' own decision).
StoryLinkOptions story_link_options(const PipelineOptions& options);

// Calls options.progress, when there is one.
void report(const PipelineOptions& options, std::string_view stage, std::uint64_t documents, std::uint64_t bytes, double fraction);

// The documents must outlive the corpus; options.progress hears of normalising and preparing
// chunk by chunk.
Corpus prepare_corpus(const std::vector<Document>& documents, const PipelineOptions& options);

}  // namespace neardup::detail

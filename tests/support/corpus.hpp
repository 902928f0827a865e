// Shared helpers for tests that run on real text: the seed fixtures and the dev corpus.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "neardup/document.hpp"
#include "neardup/evaluate.hpp"
#include "neardup/ingest.hpp"

namespace neardup::testing {

inline std::string fixtures_dir() { return NEARDUP_FIXTURES_DIR; }
inline std::string dev_dir() { return std::string(NEARDUP_SHARED_DIR) + "/data/ntrex-dev"; }
inline bool have_dev_data() { return std::filesystem::exists(dev_dir() + "/docs.jsonl"); }

inline std::vector<Document> seeds() { return read_inputs({fixtures_dir() + "/seeds"}, {}).documents; }

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// The seed texts, in file-name order.
inline std::vector<std::string> seed_texts() {
  std::vector<std::string> texts;
  for (const auto& seed : seeds()) texts.push_back(seed.text);
  return texts;
}

struct LabelledDocument {
  std::string id;
  std::string text;
  std::string lang;  // from the dev truth, e.g. "ben_Beng"
};

// The dev corpus with the language its truth gives; empty when the dev data is absent.
inline const std::vector<LabelledDocument>& dev_documents() {
  static const std::vector<LabelledDocument> documents = [] {
    std::vector<LabelledDocument> result;
    if (!have_dev_data()) return result;
    const Truth truth = read_truth(dev_dir() + "/truth.tsv");
    for (auto& document : read_inputs({dev_dir() + "/docs.jsonl"}, {}).documents) {
      const std::string lang = truth.at(document.id).lang;
      result.push_back({std::move(document.id), std::move(document.text), lang});
    }
    return result;
  }();
  return documents;
}

inline const Document& find(const std::vector<Document>& documents, const std::string& id_prefix) {
  for (const auto& document : documents)
    if (document.id.rfind(id_prefix, 0) == 0) return document;
  throw std::runtime_error("no document " + id_prefix);
}

}  // namespace neardup::testing

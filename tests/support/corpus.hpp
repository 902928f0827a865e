// Shared helpers for tests that run on real text: the seed fixtures and the dev corpus.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "neardup/document.hpp"
#include "neardup/ingest.hpp"

namespace neardup::testing {

inline std::string fixtures_dir() { return NEARDUP_FIXTURES_DIR; }
inline std::string dev_dir() { return std::string(NEARDUP_SHARED_DIR) + "/data/ntrex-dev"; }
inline bool have_dev_data() { return std::filesystem::exists(dev_dir() + "/docs.jsonl"); }

inline std::vector<Document> seeds() { return read_inputs({fixtures_dir() + "/seeds"}, {}).documents; }

inline const Document& find(const std::vector<Document>& documents, const std::string& id_prefix) {
  for (const auto& document : documents)
    if (document.id.rfind(id_prefix, 0) == 0) return document;
  throw std::runtime_error("no document " + id_prefix);
}

}  // namespace neardup::testing

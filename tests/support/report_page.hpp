// Reading the data back out of an HTML report, as its script does: the "neardup-data" JSON and
// the gzip-base64 chunks of texts, pivots and evidence, merged into one object
// {overview, docs, pairs, clusters, detail_chunk, texts, pivots, evidence}. For the golden tests
// and the report fuzz target.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "ingest/compression.hpp"
#include "report/html_template.hpp"

namespace neardup::testing {

inline std::string from_base64(std::string_view text) {
  std::string out;
  std::uint32_t group = 0;
  int bits = 0;
  for (const char c : text) {
    int value = -1;
    if (c >= 'A' && c <= 'Z') value = c - 'A';
    else if (c >= 'a' && c <= 'z') value = c - 'a' + 26;
    else if (c >= '0' && c <= '9') value = c - '0' + 52;
    else if (c == '+') value = 62;
    else if (c == '/') value = 63;
    else if (c == '=') break;
    else throw std::runtime_error("not base64");
    group = group << 6 | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((group >> bits) & 0xFF));
    }
  }
  return out;
}

inline std::string gunzip(const std::string& bytes) {
  std::stringbuf compressed(bytes);
  const auto plain = detail::decompressed(detail::Compression::gzip, compressed);
  std::string out;
  char buffer[1 << 16];
  while (const std::streamsize got = plain->sgetn(buffer, sizeof buffer)) out.append(buffer, static_cast<std::size_t>(got));
  return out;
}

// The text of the element <script type="TYPE" id="ID">, or npos as begin when there is none.
inline std::string_view script_text(std::string_view page, std::string_view type, const std::string& id) {
  const std::string open = "<script type=\"" + std::string(type) + "\" id=\"" + id + "\">";
  const std::size_t begin = page.find(open);
  if (begin == std::string_view::npos) return {};
  const std::size_t end = page.find("</script>", begin);
  if (end == std::string_view::npos) throw std::runtime_error("unclosed " + id);
  return page.substr(begin + open.size(), end - begin - open.size());
}

inline nlohmann::json embedded_data(std::string_view page) {
  const std::string_view index = script_text(page, "application/json", "neardup-data");
  if (index.empty()) throw std::runtime_error("no embedded neardup-data");
  nlohmann::json data = nlohmann::json::parse(index);
  data["texts"] = nlohmann::json::object();
  data["pivots"] = nlohmann::json::object();
  data["evidence"] = nlohmann::json::array();
  for (std::size_t k = 0;; ++k) {
    const std::string_view chunk = script_text(page, "application/gzip-base64", detail::document_chunk_id(k));
    if (chunk.empty()) break;
    const nlohmann::json documents = nlohmann::json::parse(gunzip(from_base64(chunk)));
    data["texts"].update(documents.at("texts"));
    data["pivots"].update(documents.at("pivots"));
  }
  for (std::size_t k = 0;; ++k) {
    const std::string_view chunk = script_text(page, "application/gzip-base64", detail::evidence_chunk_id(k));
    if (chunk.empty()) break;
    for (auto& evidence : nlohmann::json::parse(gunzip(from_base64(chunk)))) data["evidence"].push_back(std::move(evidence));
  }
  return data;
}

}  // namespace neardup::testing

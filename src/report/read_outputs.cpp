#include <fstream>
#include <nlohmann/json.hpp>

#include "neardup/error.hpp"
#include "neardup/evaluate.hpp"

namespace neardup {
namespace {

// Calls on_line(json, line_number) for every non-blank line of a JSON Lines file.
template <class OnLine>
void for_each_json_line(const std::string& path, OnLine&& on_line) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::io, path + ": cannot open");
  std::string line;
  for (std::uint64_t number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      on_line(nlohmann::json::parse(line), number);
    } catch (const nlohmann::json::exception& error) {
      throw InputError(path, number, 0, std::string("not an output line of neardup: ") + error.what());
    }
  }
}

}  // namespace

std::vector<PredictedPair> read_predicted_pairs(const std::string& path) {
  std::vector<PredictedPair> pairs;
  for_each_json_line(path, [&](const nlohmann::json& line, std::uint64_t) {
    pairs.push_back({line.at("a").get<std::string>(), line.at("b").get<std::string>(),
                     line.at("relation").get<std::string>() == "translation"});
  });
  return pairs;
}

std::vector<std::vector<std::string>> read_predicted_clusters(const std::string& path) {
  std::vector<std::vector<std::string>> clusters;
  for_each_json_line(path, [&](const nlohmann::json& line, std::uint64_t) {
    clusters.push_back(line.at("members").get<std::vector<std::string>>());
  });
  return clusters;
}

}  // namespace neardup

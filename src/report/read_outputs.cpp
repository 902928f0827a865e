#include "neardup/evaluate.hpp"
#include "report/json_lines.hpp"

namespace neardup {

std::vector<PredictedPair> read_predicted_pairs(const std::string& path) {
  std::vector<PredictedPair> pairs;
  detail::for_each_json_line(path, [&](const nlohmann::json& line, std::uint64_t) {
    pairs.push_back({line.at("a").get<std::string>(), line.at("b").get<std::string>(),
                     line.at("relation").get<std::string>()});
  });
  return pairs;
}

std::vector<std::vector<std::string>> read_predicted_clusters(const std::string& path) {
  std::vector<std::vector<std::string>> clusters;
  detail::for_each_json_line(path, [&](const nlohmann::json& line, std::uint64_t) {
    clusters.push_back(line.at("members").get<std::vector<std::string>>());
  });
  return clusters;
}

}  // namespace neardup

#include "neardup/evaluate.hpp"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "base/disjoint_sets.hpp"
#include "neardup/error.hpp"

namespace neardup {
namespace {

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream stream(line);
  for (std::string field; std::getline(stream, field, '\t');) fields.push_back(field);
  return fields;
}

bool counts(const std::vector<std::string>& langs, const std::string& lang) {
  return langs.empty() || std::find(langs.begin(), langs.end(), lang) != langs.end();
}

// The predicted pairs with each group of exact copies, which the output writes as a star (each
// copy with the first; PipelineOptions::all_pairs), as every couple of the group: copies of one
// text are copies of each other, and the truth counts every couple of a story.
std::vector<PredictedPair> with_exact_groups_whole(const std::vector<PredictedPair>& predicted) {
  std::map<std::string, std::uint32_t> number;
  for (const auto& pair : predicted)
    if (pair.relation == "exact-duplicate") number.try_emplace(pair.a), number.try_emplace(pair.b);
  std::vector<const std::string*> ids;
  for (auto& [id, n] : number) {
    n = static_cast<std::uint32_t>(ids.size());
    ids.push_back(&id);
  }
  detail::DisjointSets copies(static_cast<std::uint32_t>(ids.size()));
  for (const auto& pair : predicted)
    if (pair.relation == "exact-duplicate") copies.join(number.at(pair.a), number.at(pair.b));
  std::map<std::uint32_t, std::vector<std::uint32_t>> groups;
  for (std::uint32_t n = 0; n < ids.size(); ++n) groups[copies.find(n)].push_back(n);
  std::vector<PredictedPair> whole = predicted;
  for (const auto& [unused, members] : groups)
    for (std::size_t x = 0; x < members.size(); ++x)
      for (std::size_t y = x + 1; y < members.size(); ++y)
        whole.push_back({*ids[members[x]], *ids[members[y]], "exact-duplicate"});
  return whole;
}

}  // namespace

Truth read_truth(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::io, path + ": cannot open the truth file");
  std::string line;
  if (!std::getline(in, line)) throw InputError(path, 1, 0, "empty truth file; expected a header with id, story, lang");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  const auto header = split_tabs(line);
  auto column = [&](const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) throw InputError(path, 1, 0, "the header has no '" + name + "' column (tab-separated: id, story, lang)");
    return static_cast<std::size_t>(it - header.begin());
  };
  const std::size_t id_column = column("id"), story_column = column("story"), lang_column = column("lang");
  const std::size_t needed = std::max({id_column, story_column, lang_column}) + 1;
  Truth truth;
  for (std::uint64_t number = 2; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const auto fields = split_tabs(line);
    if (fields.size() < needed) throw InputError(path, number, 0, "expected at least " + std::to_string(needed) + " tab-separated fields");
    if (!truth.emplace(fields[id_column], TruthLabel{fields[story_column], fields[lang_column]}).second)
      throw InputError(path, number, 0, "id '" + fields[id_column] + "' is listed twice");
  }
  return truth;
}

PairEvaluation evaluate_pairs(const Truth& truth, const std::vector<PredictedPair>& predicted,
                              const std::vector<std::string>& langs) {
  PairEvaluation evaluation;
  auto langs_key = [](const std::string& x, const std::string& y) { return x < y ? std::pair(x, y) : std::pair(y, x); };

  std::map<std::string, std::vector<const std::pair<const std::string, TruthLabel>*>> stories;
  for (const auto& entry : truth)
    if (counts(langs, entry.second.lang)) stories[entry.second.story].push_back(&entry);
  for (const auto& [story, members] : stories)
    for (std::size_t i = 0; i < members.size(); ++i)
      for (std::size_t j = i + 1; j < members.size(); ++j) {
        const auto& x = members[i]->second;
        const auto& y = members[j]->second;
        ++evaluation.related.expected;
        ++evaluation.related_by_langs[langs_key(x.lang, y.lang)].expected;
        if (x.lang == y.lang) {
          ++evaluation.duplicates.expected;
          ++evaluation.same_story.expected;
        } else {
          ++evaluation.translations.expected;
          ++evaluation.translations_by_langs[langs_key(x.lang, y.lang)].expected;
        }
      }

  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& pair : with_exact_groups_whole(predicted)) {
    const auto a = truth.find(pair.a), b = truth.find(pair.b);
    if (a == truth.end() || b == truth.end()) {
      ++evaluation.unknown_ids;
      continue;
    }
    if (!counts(langs, a->second.lang) || !counts(langs, b->second.lang)) continue;
    if (!seen.insert(pair.a < pair.b ? std::pair(pair.a, pair.b) : std::pair(pair.b, pair.a)).second) continue;
    const bool same_story = a->second.story == b->second.story;
    const bool same_lang = a->second.lang == b->second.lang;
    const bool translation = pair.relation == "translation";
    const bool story = pair.relation == "same-story";
    PairScores& scores = translation ? evaluation.translations : story ? evaluation.same_story : evaluation.duplicates;
    ++scores.predicted;
    if (same_story && (translation ? !same_lang : same_lang)) ++scores.correct;
    for (PairScores* related : {&evaluation.related, &evaluation.related_by_langs[langs_key(a->second.lang, b->second.lang)]}) {
      ++related->predicted;
      if (same_story) ++related->correct;
    }
    if (translation) {
      PairScores& by_langs = evaluation.translations_by_langs[langs_key(a->second.lang, b->second.lang)];
      ++by_langs.predicted;
      if (same_story && !same_lang) ++by_langs.correct;
    }
  }
  return evaluation;
}

ClusterEvaluation evaluate_clusters(const Truth& truth, const std::vector<std::vector<std::string>>& clusters,
                                    const std::vector<std::string>& langs) {
  std::unordered_map<std::string, std::size_t> cluster_of;
  std::vector<std::vector<std::string>> kept_clusters;
  for (const auto& cluster : clusters) {
    std::vector<std::string> members;
    for (const auto& id : cluster) {
      const auto it = truth.find(id);
      if (it != truth.end() && counts(langs, it->second.lang) && !cluster_of.count(id)) members.push_back(id);
    }
    if (members.empty()) continue;
    for (const auto& id : members) cluster_of[id] = kept_clusters.size();
    kept_clusters.push_back(std::move(members));
  }
  std::map<std::string, std::size_t> story_size;
  for (const auto& [id, label] : truth) {
    if (!counts(langs, label.lang)) continue;
    ++story_size[label.story];
    if (!cluster_of.count(id)) {
      cluster_of[id] = kept_clusters.size();
      kept_clusters.push_back({id});
    }
  }
  ClusterEvaluation evaluation;
  evaluation.clusters = kept_clusters.size();
  evaluation.stories = story_size.size();
  double precision = 0.0, recall = 0.0;
  std::size_t items = 0;
  for (const auto& cluster : kept_clusters) {
    std::map<std::string, std::size_t> by_story;
    for (const auto& id : cluster) ++by_story[truth.at(id).story];
    for (const auto& [story, shared] : by_story) {
      precision += static_cast<double>(shared) * static_cast<double>(shared) / static_cast<double>(cluster.size());
      recall += static_cast<double>(shared) * static_cast<double>(shared) / static_cast<double>(story_size[story]);
      items += shared;
    }
  }
  if (items == 0) return evaluation;
  evaluation.bcubed_precision = precision / static_cast<double>(items);
  evaluation.bcubed_recall = recall / static_cast<double>(items);
  const double p = evaluation.bcubed_precision, r = evaluation.bcubed_recall;
  evaluation.bcubed_f1 = p + r == 0.0 ? 0.0 : 2 * p * r / (p + r);
  return evaluation;
}

}  // namespace neardup

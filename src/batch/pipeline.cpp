#include "neardup/pipeline.hpp"

#include <algorithm>
#include <map>
#include <new>
#include <numeric>
#include <set>
#include <unordered_map>

#include "base/parallel.hpp"
#include "batch/corpus.hpp"
#include "batch/translation_evidence.hpp"
#include "cluster/cluster.hpp"
#include "ingest/utf8.hpp"
#include "neardup/error.hpp"
#include "score/duplicates.hpp"
#include "score/translation.hpp"

namespace neardup {
namespace {

// Share of the member pairs of two clusters that must be linked for them to merge (see
// cluster_edges): high enough that stray links between stories on one topic do not chain them.
constexpr double min_cluster_density = 0.3;

// Translations and same-story pairs between the duplicate groups. Same-story pairs and
// duplicates make groups of versions of one language, which are linked to their translations as
// one document: every pair of their members is reported.
void add_story_pairs(const detail::Corpus& corpus, const PipelineOptions& options, std::vector<Pair>& pairs) {
  const auto documents = corpus.representative_documents();
  const auto count = static_cast<std::uint32_t>(documents.size());
  detail::report(options, "finding translations", count, 0, -1.0);
  const detail::StoryScorer scorer(documents, options.threads);
  const auto [same_story, translations] = detail::link_stories(scorer, documents, detail::story_link_options(options));

  std::unordered_map<std::uint32_t, std::unordered_map<std::uint64_t, std::string>> spellings;
  auto add = [&](const detail::CandidatePair& link, Relation relation, const std::vector<std::uint32_t>& members_a,
                 const std::vector<std::uint32_t>& members_b) {
    const auto& representative_a = *documents[link.a];
    const auto& representative_b = *documents[link.b];
    for (std::uint32_t a : members_a) {
      auto cached = spellings.find(a);
      if (cached == spellings.end()) cached = spellings.emplace(a, corpus.anchor_spellings(a)).first;
      for (std::uint32_t b : members_b) {
        const auto alignment = detail::member_alignment(scorer, link, representative_a, representative_b, corpus.prepared[a], corpus.prepared[b]);
        const auto aligned = detail::aligned_sentences(alignment, corpus.prepared[a], corpus.prepared[b]);
        pairs.push_back({std::min(a, b), std::max(a, b), relation, link.probability,
                         detail::translation_evidence(link.signals, alignment.coverage_a, alignment.coverage_b, link.shared_anchors,
                                                      cached->second, aligned, a > b)});
      }
    }
  };
  for (const auto& link : same_story)
    add(link, Relation::same_story, corpus.members_of(corpus.representatives[link.a]), corpus.members_of(corpus.representatives[link.b]));
  for (const auto& link : translations)
    add(link, Relation::translation, corpus.members_of(corpus.representatives[link.a]), corpus.members_of(corpus.representatives[link.b]));
}

}  // namespace

std::string_view relation_name(Relation relation) {
  switch (relation) {
    case Relation::exact_duplicate: return "exact-duplicate";
    case Relation::near_duplicate: return "near-duplicate";
    case Relation::translation: return "translation";
    case Relation::same_story: return "same-story";
  }
  return "unknown";
}

namespace {

Analysis analyse_with(std::vector<Document> documents, const PipelineOptions& options) {
  detail::Corpus corpus = detail::prepare_corpus(documents, options);
  const auto n = static_cast<std::uint32_t>(documents.size());

  Analysis analysis;
  for (std::uint32_t d = 0; d < n; ++d) {
    const auto& prepared = corpus.prepared[d];
    DocumentInfo info;
    info.lang = prepared.lang;
    info.script = std::string(detail::script_code(prepared.script));
    info.script_share = prepared.script_share;
    info.boilerplate_lines = prepared.boilerplate_lines;
    analysis.info.push_back(std::move(info));
  }
  for (const auto& duplicate : corpus.duplicates)
    analysis.pairs.push_back({duplicate.a, duplicate.b, duplicate.relation, duplicate.jaccard, {}});

  if (options.find_translations) add_story_pairs(corpus, options, analysis.pairs);
  std::sort(analysis.pairs.begin(), analysis.pairs.end(),
            [](const Pair& x, const Pair& y) { return std::pair(x.a, x.b) < std::pair(y.a, y.b); });
  for (std::uint32_t d = 0; d < n; ++d) {
    analysis.info[d].title = detail::line_title(documents[d].text, corpus.prepared[d].title);
    analysis.info[d].headline = detail::line_title(documents[d].text, corpus.prepared[d].headline);
  }
  analysis.documents = std::move(documents);
  return analysis;
}

}  // namespace

// A std::bad_alloc becomes Error(out_of_memory) naming the stage that ran out, which the
// progress callback hears of as the stages go.
Analysis analyse(std::vector<Document> documents, const PipelineOptions& options) {
  const std::size_t count = documents.size();
  std::string_view stage = "normalising";
  PipelineOptions tracked = options;
  tracked.progress = [&](const Progress& progress) {
    stage = progress.stage;
    if (options.progress) options.progress(progress);
  };
  try {
    return analyse_with(std::move(documents), tracked);
  } catch (const std::bad_alloc&) {
    throw Error(ErrorCode::out_of_memory,
                "out of memory at the stage '" + std::string(stage) + "' (" + std::to_string(count) +
                    " documents): split the input, or run `neardup dedup` first (it streams) and analyse what it keeps");
  }
}

std::vector<Cluster> cluster_stories(const Analysis& analysis) {
  const auto n = static_cast<std::uint32_t>(analysis.documents.size());
  std::vector<detail::Edge> edges;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> copies;
  std::vector<std::uint32_t> degree(n, 0);
  for (const auto& pair : analysis.pairs) {
    // Duplicates first: they are the surest links.
    const double weight = is_copy(pair.relation) ? 1.0 + pair.score : pair.score;
    edges.push_back({pair.a, pair.b, weight});
    // Exact copies come as a star (PipelineOptions::all_pairs), which the density rule would cut.
    if (pair.relation == Relation::exact_duplicate) copies.emplace_back(pair.a, pair.b);
    ++degree[pair.a];
    ++degree[pair.b];
  }
  // Boilerplate is what recurs across stories: a headline that only the versions of one story
  // share (four editions of an English article) titles that story, though the corpus-wide
  // detector, which cannot know the stories, took it for furniture.
  std::unordered_map<std::string_view, std::uint32_t> headline_carriers;
  for (const DocumentInfo& info : analysis.info)
    if (!info.headline.empty()) ++headline_carriers[info.headline];
  std::vector<Cluster> clusters;
  for (auto& members : detail::cluster_edges(n, std::move(edges), min_cluster_density, copies)) {
    Cluster cluster;
    cluster.representative = *std::max_element(members.begin(), members.end(), [&](std::uint32_t x, std::uint32_t y) {
      return degree[x] < degree[y] || (degree[x] == degree[y] && x > y);
    });
    const DocumentInfo& representative = analysis.info[cluster.representative];
    const auto carriers_within = std::count_if(members.begin(), members.end(), [&](std::uint32_t member) {
      return analysis.info[member].headline == representative.headline;
    });
    const bool headline_is_the_storys =
        !representative.headline.empty() && headline_carriers[representative.headline] == static_cast<std::uint32_t>(carriers_within);
    cluster.title = headline_is_the_storys ? representative.headline : representative.title;
    for (std::uint32_t member : members) cluster.langs.push_back(analysis.info[member].lang);
    std::sort(cluster.langs.begin(), cluster.langs.end());
    cluster.langs.erase(std::unique(cluster.langs.begin(), cluster.langs.end()), cluster.langs.end());
    cluster.members = std::move(members);
    clusters.push_back(std::move(cluster));
  }
  return clusters;
}

DedupResult deduplicate(const Analysis& analysis, KeepPolicy policy, const PriorOriginal& prior_original) {
  const auto n = static_cast<std::uint32_t>(analysis.documents.size());
  std::vector<std::vector<const Pair*>> duplicates(n);
  for (const auto& pair : analysis.pairs)
    if (is_copy(pair.relation)) {
      duplicates[pair.a].push_back(&pair);
      duplicates[pair.b].push_back(&pair);
    }
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  if (policy == KeepPolicy::longest)
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
      return analysis.documents[x].text.size() > analysis.documents[y].text.size();
    });

  // A document is removed only for a verified pair with a document already kept, so no removal
  // rests on a chain of resemblances.
  std::vector<std::optional<Match>> prior(n);
  if (prior_original) detail::parallel_for(0, n, [&](std::size_t d) { prior[d] = prior_original(analysis.documents[d]); }, 4);
  std::vector<bool> kept(n, false);
  DedupResult result;
  for (std::uint32_t d : order) {
    const Pair* best = nullptr;
    for (const Pair* pair : duplicates[d]) {
      const std::uint32_t other = pair->a == d ? pair->b : pair->a;
      if (!kept[other]) continue;
      const bool better = best == nullptr || (pair->relation == Relation::exact_duplicate && best->relation != Relation::exact_duplicate) ||
                          (pair->relation == best->relation && pair->score > best->score);
      if (better) best = pair;
    }
    if (best == nullptr && prior[d]) {
      result.removed.push_back({d, 0, prior[d]->relation, prior[d]->score, prior[d]->id});
    } else if (best == nullptr) {
      kept[d] = true;
      result.kept.push_back(d);
    } else {
      result.removed.push_back({d, best->a == d ? best->b : best->a, best->relation, best->score, {}});
    }
  }
  std::sort(result.kept.begin(), result.kept.end());
  std::sort(result.removed.begin(), result.removed.end(), [](const Removal& x, const Removal& y) { return x.removed < y.removed; });
  return result;
}

}  // namespace neardup

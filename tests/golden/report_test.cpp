// The reports of the seeds: the Markdown summary is a golden file; the HTML page must be
// self-contained and carry the evidence of the 001–004 translation with offsets JavaScript can
// use. (tests/browser/check_report.py opens the page in a headless browser.)
// After an intended change of the summary, regenerate with NEARDUP_UPDATE_GOLDEN=1 and review the diff.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

#include "neardup/error.hpp"
#include "neardup/report.hpp"
#include "support/corpus.hpp"
#include "support/report_page.hpp"

namespace neardup {
namespace {

const std::string seeds_dir = testing::fixtures_dir() + "/seeds";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

struct Seeds {
  Analysis analysis = analyse(testing::seeds());
  std::vector<Cluster> clusters = cluster_stories(analysis);
};

const Seeds& seeds() {
  static const Seeds instance;
  return instance;
}

std::string markdown(const ReportData& data) {
  std::ostringstream out;
  write_markdown_report(out, data);
  return out.str();
}

std::string html(const ReportData& data) {
  std::ostringstream out;
  write_html_report(out, data);
  return out.str();
}

using testing::embedded_data;

// JavaScript's view of a string: UTF-16 code units.
std::u16string utf16(const std::string& utf8) {
  std::u16string out;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    const int length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    char32_t cp = length == 1 ? lead : lead & (0x7F >> length);
    for (int k = 1; k < length; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    if (cp >= 0x10000) {
      out.push_back(static_cast<char16_t>(0xD800 + ((cp - 0x10000) >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
    i += length;
  }
  return out;
}

std::size_t index_of(const nlohmann::json& docs, const std::string& prefix) {
  for (std::size_t d = 0; d < docs.size(); ++d)
    if (docs[d][0].get<std::string>().rfind(prefix, 0) == 0) return d;
  throw std::runtime_error("no document " + prefix);
}

TEST(ReportGolden, MarkdownOfSeeds) {
  const std::string actual = markdown(report_data(seeds().analysis, seeds().clusters));
  const std::string path = testing::fixtures_dir() + "/golden/seeds_report.md";
  if (std::getenv("NEARDUP_UPDATE_GOLDEN") != nullptr) std::ofstream(path, std::ios::binary) << actual;
  EXPECT_EQ(actual, read_file(path)) << "output differs from " << path;
}

TEST(ReportMarkdown, CapsTheTableWithANote) {
  std::ostringstream out;
  write_markdown_report(out, report_data(seeds().analysis, seeds().clusters), 2);
  EXPECT_NE(out.str().find("(2 of 4 clusters shown"), std::string::npos) << out.str();
}

TEST(ReportHtml, SeedsPageIsSelfContained) {
  const std::string page = html(report_data(seeds().analysis, seeds().clusters));
  EXPECT_EQ(page.find("http://"), std::string::npos);
  EXPECT_EQ(page.find("https://"), std::string::npos);
  EXPECT_EQ(page.find("<script src"), std::string::npos);
  EXPECT_EQ(page.find("<link"), std::string::npos);
  EXPECT_EQ(page.find("@import"), std::string::npos);
  EXPECT_EQ(page.find("url("), std::string::npos);
}

TEST(ReportHtml, TextsCannotCloseTheDataElement) {
  Analysis analysis = analyse({{"a", "x </script><script>alert(1)</script> <!-- y", "", "", "", 0, {}},
                               {"b", "x </script><script>alert(1)</script> <!-- y", "", "", "", 0, {}}});
  const std::string page = html(report_data(analysis, cluster_stories(analysis)));
  EXPECT_EQ(page.find("alert(1)</script>"), std::string::npos);
  EXPECT_EQ(embedded_data(page)["texts"]["0"], "x </script><script>alert(1)</script> <!-- y");
}

TEST(ReportHtml, EmbedsTheTranslationWithItsEvidenceInUtf16Offsets) {
  const nlohmann::json data = embedded_data(html(report_data(seeds().analysis, seeds().clusters)));
  const std::size_t a = index_of(data["docs"], "001_"), b = index_of(data["docs"], "004_");
  const nlohmann::json* found = nullptr;
  for (const auto& pair : data["pairs"])
    if (pair[0] == a && pair[1] == b) found = &pair;
  ASSERT_NE(found, nullptr);
  EXPECT_EQ((*found)[2], 2) << "translation";
  const nlohmann::json& evidence = data["evidence"][(*found)[4].get<std::size_t>()];
  EXPECT_FALSE(evidence["sentences"].empty());
  // Gujarati has a pivot to show; Devanagari is the pivot.
  EXPECT_FALSE(data["pivots"][std::to_string(b)].get<std::string>().empty());
  EXPECT_FALSE(data["pivots"].contains(std::to_string(a)));

  // The spans index the texts as JavaScript sees them, and a cited anchor is found in both scripts.
  // Shared words come flat: start after the previous end, length, group * 2 + cited.
  const auto words = [&](std::size_t document, const nlohmann::json& flat, bool cited_only) {
    const std::u16string text = utf16(data["texts"][std::to_string(document)].get<std::string>());
    std::vector<std::u16string> out;
    std::size_t end = 0;
    for (std::size_t i = 0; i + 2 < flat.size(); i += 3) {
      const std::size_t start = end + flat[i].get<std::size_t>();
      end = start + flat[i + 1].get<std::size_t>();
      EXPECT_LE(end, text.size());
      if (!cited_only || flat[i + 2].get<int>() % 2 == 1) out.push_back(text.substr(start, end - start));
    }
    return out;
  };
  const auto has = [](const std::vector<std::u16string>& list, const std::string& word) {
    return std::find(list.begin(), list.end(), utf16(word)) != list.end();
  };
  const auto cited_a = words(a, evidence["shared_a"], true), cited_b = words(b, evidence["shared_b"], true);
  EXPECT_GE(cited_a.size(), 3u);
  EXPECT_GE(cited_b.size(), 3u);
  EXPECT_TRUE(has(cited_a, "किर्बी"));
  EXPECT_TRUE(has(cited_b, "કિર્બી") || has(cited_b, "કિર્બીએ"));
  // Names shared beyond the cited anchors light up too: Putin and Kim Jong Un.
  const auto shared_a = words(a, evidence["shared_a"], false), shared_b = words(b, evidence["shared_b"], false);
  EXPECT_TRUE(has(shared_a, "पुतिन") && has(shared_a, "किम") && has(shared_a, "जोंग"));
  EXPECT_TRUE(has(shared_b, "પુતિન") && has(shared_b, "કિમ") && has(shared_b, "જોંગ"));
  // A sentence span starts and ends inside its text.
  const std::u16string text_a = utf16(data["texts"][std::to_string(a)].get<std::string>());
  for (const auto& sentence : evidence["sentences"]) EXPECT_LE(sentence[1].get<std::size_t>(), text_a.size());
}

TEST(ReportHtml, ShowsASameStoryPairWithItsEvidenceAndReadsItBack) {
  Analysis analysis = seeds().analysis;
  Pair same_story{0, 1, Relation::same_story, 0.75, {}};
  same_story.evidence.sentences.push_back({{0, 10}, {0, 10}, 0.5});
  analysis.pairs.push_back(same_story);
  std::sort(analysis.pairs.begin(), analysis.pairs.end(),
            [](const Pair& x, const Pair& y) { return std::pair(x.a, x.b) < std::pair(y.a, y.b); });
  const auto clusters = cluster_stories(analysis);
  const nlohmann::json data = embedded_data(html(report_data(analysis, clusters)));
  EXPECT_EQ(data["overview"]["pairs"][3], 1) << "one same-story pair counted";
  bool found = false;
  for (const auto& pair : data["pairs"])
    if (pair[0] == 0 && pair[1] == 1) {
      found = true;
      EXPECT_EQ(pair[2], 3) << "same-story";
      ASSERT_GE(pair.size(), 5u) << "a same-story pair carries its evidence";
      EXPECT_EQ(data["evidence"][pair[4].get<std::size_t>()]["sentences"].size(), 1u);
    }
  EXPECT_TRUE(found);

  const auto dir = std::filesystem::temp_directory_path() / ("neardup_report_story_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream pairs(dir / "pairs.jsonl");
    write_pairs(pairs, analysis);
    std::ofstream out(dir / "clusters.jsonl");
    write_clusters(out, analysis, clusters);
  }
  const ReportData saved = report_data(testing::seeds(), (dir / "pairs.jsonl").string(), (dir / "clusters.jsonl").string());
  EXPECT_TRUE(std::any_of(saved.pairs.begin(), saved.pairs.end(),
                          [](const ReportPair& pair) { return pair.pair.relation == Relation::same_story; }));
  EXPECT_EQ(saved.removed_by_dedup, 0u) << "dedup keeps same-story pairs";
  std::filesystem::remove_all(dir);
}

TEST(ReportData, FromSavedOutputsMatchesTheAnalysis) {
  const auto dir = std::filesystem::temp_directory_path() / ("neardup_report_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream pairs(dir / "pairs.jsonl");
    write_pairs(pairs, seeds().analysis);
    std::ofstream clusters(dir / "clusters.jsonl");
    write_clusters(clusters, seeds().analysis, seeds().clusters);
  }
  const ReportData direct = report_data(seeds().analysis, seeds().clusters);
  const ReportData saved = report_data(testing::seeds(), (dir / "pairs.jsonl").string(), (dir / "clusters.jsonl").string());
  ASSERT_EQ(saved.documents.size(), direct.documents.size());
  for (std::size_t d = 0; d < direct.documents.size(); ++d) {
    EXPECT_EQ(saved.documents[d].lang, direct.documents[d].lang) << d;
    EXPECT_EQ(saved.documents[d].script, direct.documents[d].script) << d;
    EXPECT_EQ(saved.documents[d].text, direct.documents[d].text) << d;
    EXPECT_EQ(saved.documents[d].pivot, direct.documents[d].pivot) << d;
  }
  ASSERT_EQ(saved.pairs.size(), direct.pairs.size());
  for (std::size_t p = 0; p < direct.pairs.size(); ++p) {
    EXPECT_EQ(saved.pairs[p].pair.evidence.sentences.size(), direct.pairs[p].pair.evidence.sentences.size());
    EXPECT_EQ(saved.pairs[p].shared_a.size(), direct.pairs[p].shared_a.size());
    EXPECT_EQ(saved.pairs[p].shared_b.size(), direct.pairs[p].shared_b.size());
  }
  ASSERT_EQ(saved.clusters.size(), direct.clusters.size());
  for (std::size_t c = 0; c < direct.clusters.size(); ++c) {
    EXPECT_EQ(saved.clusters[c].members, direct.clusters[c].members);
    EXPECT_EQ(saved.clusters[c].langs, direct.clusters[c].langs);
  }
  EXPECT_EQ(saved.removed_by_dedup, direct.removed_by_dedup);

  std::ofstream(dir / "pairs.jsonl", std::ios::app) << R"({"a":"nobody","b":"001_05db9d16e02c2170","relation":"translation","score":1})" << "\n";
  EXPECT_THROW(report_data(testing::seeds(), (dir / "pairs.jsonl").string(), (dir / "clusters.jsonl").string()), InputError);
  EXPECT_THROW(report_data(testing::seeds(), (dir / "missing.jsonl").string(), (dir / "clusters.jsonl").string()), Error);
  std::filesystem::remove_all(dir);
}

// Evidence offsets are whole byte counts: a fraction, a negative or a number beyond 32 bits is
// bad input naming the line (1e64 used to be cast to an integer: undefined behaviour).
TEST(ReportData, EvidenceOffsetsThatAreNotByteCountsAreBadInput) {
  const auto dir = std::filesystem::temp_directory_path() / ("neardup_report_offsets_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "clusters.jsonl").flush();
  for (const std::string offset : {"1e64", "-1", "2.5", "4294967296"}) {
    std::ofstream(dir / "pairs.jsonl")
        << R"({"a":"001_05db9d16e02c2170","b":"004_df53f37349722e31","relation":"translation","score":0.9,"evidence":{"sentences":[{"a":[0,)"
        << offset << R"(],"b":[0,10],"similarity":0.5}]}})" << "\n";
    try {
      report_data(testing::seeds(), (dir / "pairs.jsonl").string(), (dir / "clusters.jsonl").string());
      ADD_FAILURE() << "accepted the offset " << offset;
    } catch (const InputError& error) {
      EXPECT_EQ(error.line(), 1u) << error.what();
      EXPECT_NE(error.problem().find("not a whole number of bytes"), std::string::npos) << error.what();
    }
  }
  std::filesystem::remove_all(dir);
}

// A clusters file edited by hand must still give every document one cluster and each cluster a
// representative among its members, or the page would draw a document twice or a card without it.
TEST(ReportData, AClustersFileThatBreaksTheirShapeIsBadInput) {
  const auto dir = std::filesystem::temp_directory_path() / ("neardup_report_shape_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "pairs.jsonl").flush();
  const auto expect_bad = [&](const std::string& clusters, const std::string& problem) {
    std::ofstream(dir / "clusters.jsonl") << clusters;
    try {
      report_data(testing::seeds(), (dir / "pairs.jsonl").string(), (dir / "clusters.jsonl").string());
      ADD_FAILURE() << "accepted: " << clusters;
    } catch (const InputError& error) {
      EXPECT_EQ(error.line(), 2u) << error.what();
      EXPECT_NE(error.problem().find(problem), std::string::npos) << error.what();
    }
  };
  const std::string first = R"({"cluster":0,"size":1,"members":["001_05db9d16e02c2170"],"representative":"001_05db9d16e02c2170"})";
  expect_bad(first + "\n" + R"({"cluster":1,"size":2,"members":["004_df53f37349722e31","001_05db9d16e02c2170"],"representative":"004_df53f37349722e31"})" + "\n",
             "\"001_05db9d16e02c2170\" is in two clusters");
  expect_bad(first + "\n" + R"({"cluster":1,"size":1,"members":["004_df53f37349722e31"],"representative":"002_b08cd47993b18163"})" + "\n",
             "the representative is not among the cluster's members");
  std::filesystem::remove_all(dir);
}

TEST(ReportCli, ClusterAndReportCommandsWriteTheSameSummary) {
  const auto dir = std::filesystem::temp_directory_path() / ("neardup_report_cli_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string cli = NEARDUP_CLI_PATH, out = dir.string();
  ASSERT_EQ(std::system((cli + " cluster -q " + seeds_dir + " -o " + out + "/clusters.jsonl --report " + out + "/a.md").c_str()), 0);
  ASSERT_EQ(std::system((cli + " pairs -q " + seeds_dir + " -o " + out + "/pairs.jsonl").c_str()), 0);
  ASSERT_EQ(std::system((cli + " report --documents " + seeds_dir + " --pairs " + out + "/pairs.jsonl --clusters " + out +
                         "/clusters.jsonl --report " + out + "/b.md").c_str()), 0);
  ASSERT_EQ(std::system((cli + " report --documents " + seeds_dir + " --pairs " + out + "/pairs.jsonl --clusters " + out +
                         "/clusters.jsonl --report " + out + "/b.html").c_str()), 0);
  const std::string a = read_file(out + "/a.md"), b = read_file(out + "/b.md");
  // Only the way dedup's removals are counted differs (no Analysis to deduplicate when re-made).
  EXPECT_EQ(a.substr(a.find("## Clusters")), b.substr(b.find("## Clusters")));
  EXPECT_EQ(a, read_file(testing::fixtures_dir() + "/golden/seeds_report.md"));
  EXPECT_NE(read_file(out + "/b.html").find("001_05db9d16e02c2170"), std::string::npos);
  EXPECT_NE(std::system((cli + " cluster -q " + seeds_dir + " -o /dev/null --report " + out + "/c.txt 2>/dev/null").c_str()), 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace neardup

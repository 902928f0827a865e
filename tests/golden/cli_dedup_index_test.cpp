// dedup --index: a corpus deduplicated across crawl dumps, each run against what the runs before
// it kept, on the seeds (real news) and copies of them.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "neardup/persistent_index.hpp"
#include "support/cli.hpp"
#include "support/compress.hpp"
#include "support/corpus.hpp"
#include "support/temp_dir.hpp"

namespace neardup {
namespace {

using testing::CliRun;
using testing::run_cli;

std::string jsonl(const std::vector<std::pair<std::string, std::string>>& documents) {
  std::string lines;
  for (const auto& [id, text] : documents) lines += nlohmann::json{{"id", id}, {"text", text}, {"url", "https://example.org/" + id}}.dump() + "\n";
  return lines;
}

// The seed with its last paragraph replaced: a near copy, as a site reposting it would make.
std::string near_copy(const std::string& text) {
  const std::size_t cut = text.rfind('\n', text.size() - 2);
  return text.substr(0, cut) + "\nयह खबर बाद में अपडेट की गई।\n";
}

std::vector<std::string> ids_of(const std::string& path) {
  std::vector<std::string> ids;
  std::istringstream lines(testing::read_file(path));
  for (std::string line; std::getline(lines, line);) ids.push_back(nlohmann::json::parse(line).at("id"));
  return ids;
}

// removed id -> (duplicate_of, relation)
std::map<std::string, std::pair<std::string, std::string>> removals(const std::string& path) {
  std::map<std::string, std::pair<std::string, std::string>> found;
  std::istringstream lines(testing::read_file(path));
  for (std::string line; std::getline(lines, line);) {
    const auto record = nlohmann::json::parse(line);
    found[record.at("id")] = {record.at("duplicate_of"), record.at("relation")};
  }
  return found;
}

std::uint64_t documents_in(const std::string& index) {
  return PersistentIndex::open_existing(index).stats().documents;
}

class DedupIndex : public ::testing::TestWithParam<std::string> {};

TEST_P(DedupIndex, ASecondShardLosesItsRepeatsOfTheFirstNamingThem) {
  const auto seeds = testing::seed_texts();
  testing::TempDir dir;
  const std::string index = dir.path("crawl.ndx");
  const std::string first = dir.file("shard1.jsonl", jsonl({{"s0", seeds[0]}, {"s1", seeds[1]}, {"s2", seeds[2]}}));
  // Repeats of shard 1 (twice each, so that one repeat cannot become the original of the other),
  // one new story and the Gujarati translation of s1, which dedup keeps.
  const std::string second = dir.file("shard2.jsonl", jsonl({{"repost-s2", seeds[2]},
                                                             {"mirror-s0", near_copy(seeds[0])},
                                                             {"s3", seeds[3]},
                                                             {"repost-again-s2", seeds[2]},
                                                             {"mirror-again-s0", near_copy(seeds[0])},
                                                             {"s4-gujarati", seeds[4]}}));
  const std::string keep = " --keep " + GetParam();

  CliRun run = run_cli("dedup " + first + " -o " + dir.path("kept1.jsonl") + " --index " + index + keep);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(ids_of(dir.path("kept1.jsonl")), (std::vector<std::string>{"s0", "s1", "s2"}));
  EXPECT_EQ(documents_in(index), 3u);

  run = run_cli("dedup " + second + " -o " + dir.path("kept2.jsonl") + " --removed " + dir.path("removed2.jsonl") + " --index " +
                index + " --stats " + dir.path("stats2.json") + keep);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(ids_of(dir.path("kept2.jsonl")), (std::vector<std::string>{"s3", "s4-gujarati"}));
  const auto removed = removals(dir.path("removed2.jsonl"));
  using Named = std::pair<std::string, std::string>;
  EXPECT_EQ(removed.at("repost-s2"), Named("s2", "exact-duplicate"));
  EXPECT_EQ(removed.at("repost-again-s2"), Named("s2", "exact-duplicate"));
  EXPECT_EQ(removed.at("mirror-s0"), Named("s0", "near-duplicate"));
  EXPECT_EQ(removed.at("mirror-again-s0"), Named("s0", "near-duplicate"));
  EXPECT_EQ(removed.size(), 4u);
  const auto stats = nlohmann::json::parse(testing::read_file(dir.path("stats2.json")));
  EXPECT_EQ(stats.at("kept"), 2);
  EXPECT_EQ(stats.at("exact_duplicates"), 2);
  EXPECT_EQ(stats.at("near_duplicates"), 2);
  EXPECT_EQ(documents_in(index), 5u);

  // Everything is indexed now: the same shard again keeps nothing.
  run = run_cli("dedup " + second + " -o " + dir.path("kept3.jsonl") + " --index " + index + keep);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(ids_of(dir.path("kept3.jsonl")).empty());
}

INSTANTIATE_TEST_SUITE_P(Keep, DedupIndex, ::testing::Values("first", "longest"));

// A shard as crawls write them: zstd-compressed, with other fields (a date, nested metadata)
// that the kept lines carry unchanged.
TEST(DedupIndexInputs, ACompressedShardWithOtherFieldsIsDeduplicatedAgainstTheIndex) {
  const auto seeds = testing::seed_texts();
  testing::TempDir dir;
  const std::string index = dir.path("crawl.ndx");
  const std::string first = dir.file("shard1.jsonl", jsonl({{"s0", seeds[0]}, {"s1", seeds[1]}}));
  ASSERT_EQ(run_cli("dedup " + first + " -o " + dir.path("kept1.jsonl") + " --index " + index).exit_code, 0);
  std::string lines;
  const std::vector<std::pair<std::string, std::string>> second = {{"mirror-s0", near_copy(seeds[0])}, {"s3", seeds[3]}};
  for (const auto& [id, text] : second)
    lines += nlohmann::json{{"url", "https://example.org/" + id}, {"id", id}, {"date", "2026-12-04"},
                            {"meta", {{"site", {{"name", "example"}, {"tags", {"world", "asia"}}}}, {"rank", 3}}}, {"text", text}}
                 .dump() + "\n";
  const std::string shard = dir.file("shard2.jsonl.zst", testing::zstd(lines));
  const CliRun run = run_cli("dedup " + shard + " -o " + dir.path("kept2.jsonl") + " --removed " + dir.path("removed2.jsonl") +
                             " --index " + index);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string kept = testing::read_file(dir.path("kept2.jsonl"));
  EXPECT_EQ(kept, lines.substr(lines.find('\n') + 1));  // the s3 line, byte for byte
  using Named = std::pair<std::string, std::string>;
  EXPECT_EQ(removals(dir.path("removed2.jsonl")).at("mirror-s0"), Named("s0", "near-duplicate"));
  EXPECT_EQ(documents_in(index), 3u);
}

TEST(DedupIndexFailure, APathThatIsNotAnIndexIsRefusedNamingIt) {
  testing::TempDir dir;
  const std::string docs = dir.file("docs.jsonl", jsonl({{"a", testing::seed_texts()[0]}}));
  const std::string not_an_index = dir.file("notes.txt", "not an index\n");
  const CliRun run = run_cli("dedup " + docs + " -o " + dir.path("kept.jsonl") + " --index " + not_an_index);
  EXPECT_EQ(run.exit_code, 2) << run.err;  // a usage error: the path given is the wrong one
  EXPECT_NE(run.err.find("notes.txt: exists and is not an index folder"), std::string::npos) << run.err;
  EXPECT_EQ(testing::read_file(not_an_index), "not an index\n");
  EXPECT_FALSE(std::filesystem::exists(dir.path("kept.jsonl")));
}

TEST(DedupIndexFailure, AFailedRunAddsNothingToTheIndex) {
  const auto seeds = testing::seed_texts();
  testing::TempDir dir;
  const std::string index = dir.path("crawl.ndx");
  const std::string first = dir.file("shard1.jsonl", jsonl({{"s0", seeds[0]}}));
  ASSERT_EQ(run_cli("dedup " + first + " -o " + dir.path("kept1.jsonl") + " --index " + index).exit_code, 0);
  const std::string broken = dir.file("broken.jsonl", jsonl({{"s3", seeds[3]}}) + "{\"id\": \"cut\", \"text\": \"the line ends\n");
  for (const std::string keep : {"first", "longest"}) {
    const CliRun run = run_cli("dedup " + broken + " -o " + dir.path("kept2.jsonl") + " --index " + index + " --keep " + keep);
    EXPECT_EQ(run.exit_code, 1) << run.err;
    EXPECT_NE(run.err.find("broken.jsonl:2"), std::string::npos) << run.err;
    EXPECT_EQ(documents_in(index), 1u) << keep;
  }
  // An index held by another run fails this one before it reads anything.
  {
    auto held = PersistentIndex::open_existing(index);
    const CliRun run = run_cli("dedup " + first + " -o " + dir.path("kept3.jsonl") + " --index " + index);
    EXPECT_EQ(run.exit_code, 1) << run.err;
    EXPECT_NE(run.err.find("open in another process"), std::string::npos) << run.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path("kept3.jsonl")));
}

// A crash mid-append leaves a torn end on the log: every command that opens the index says what
// it ignored, `index info` reports it in its JSON and, like `query`, writes nothing.
TEST(CliIndex, ATornLogEndIsReportedAndLookingWritesNothing) {
  testing::TempDir dir;
  const auto seeds = testing::seed_texts();
  const std::string index = dir.path("crawl.ndx");
  const std::string docs = dir.file("docs.jsonl", jsonl({{"s0", seeds[0]}, {"s1", seeds[1]}}));
  ASSERT_EQ(run_cli("index create " + index).exit_code, 0);
  ASSERT_EQ(run_cli("index add " + index + " " + docs).exit_code, 0);
  const std::string whole_log = testing::read_file(index + "/log");
  const std::string torn_log = whole_log + std::string("\x40\x00\x00\x00\x01half", 9);
  dir.file("crawl.ndx/log", torn_log);

  const CliRun info = run_cli("index info " + index);
  ASSERT_EQ(info.exit_code, 0) << info.err;
  const auto recovery = nlohmann::json::parse(info.out).at("recovery");
  EXPECT_EQ(recovery.at("torn_offset"), whole_log.size());
  EXPECT_EQ(recovery.at("torn_bytes"), 9);
  EXPECT_NE(info.err.find("crawl.ndx: the log's last 9 bytes, from offset " + std::to_string(whole_log.size())), std::string::npos) << info.err;
  const CliRun query = run_cli("index query " + index + " " + docs);
  ASSERT_EQ(query.exit_code, 0) << query.err;
  EXPECT_NE(query.err.find("torn end"), std::string::npos) << query.err;
  EXPECT_EQ(testing::read_file(index + "/log"), torn_log) << "looking changed the log";

  // The next write cuts it away; then there is nothing to report.
  const std::string more = dir.file("more.jsonl", jsonl({{"s2", seeds[2]}}));
  const CliRun add = run_cli("index add " + index + " " + more);
  ASSERT_EQ(add.exit_code, 0) << add.err;
  EXPECT_NE(add.err.find("torn end"), std::string::npos) << add.err;
  const CliRun again = run_cli("index info " + index);
  EXPECT_EQ(nlohmann::json::parse(again.out).at("documents"), 3);
  EXPECT_EQ(nlohmann::json::parse(again.out).at("recovery").at("torn_bytes"), 0);
  EXPECT_EQ(again.err, "");
}

}  // namespace
}  // namespace neardup

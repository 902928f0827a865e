// Streaming deduplication decides as batch deduplication does, whatever the chunk boundaries;
// its compact key table finds what was added; progress is reported and formatted.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "cli/progress.hpp"
#include "index/key_table.hpp"
#include "neardup/ingest.hpp"
#include "neardup/pipeline.hpp"
#include "neardup/report.hpp"
#include "stream/stream_dedup.hpp"
#include "support/cli.hpp"
#include "support/corpus.hpp"
#include "support/temp_dir.hpp"

namespace neardup {
namespace {

TEST(KeyTable, FindsEveryDocumentAddedWithAKey) {
  detail::KeyTable table(1000);
  for (std::uint32_t d = 0; d < 1000; ++d) table.add(0x9e3779b97f4a7c15ULL * (d % 300 + 1), d);
  std::size_t strays = 0;
  for (std::uint64_t k = 0; k < 300; ++k) {
    std::vector<std::uint32_t> found;
    table.for_each_candidate(0x9e3779b97f4a7c15ULL * (k + 1), [&](std::uint32_t d) { found.push_back(d); });
    for (std::uint32_t d = static_cast<std::uint32_t>(k); d < 1000; d += 300)
      EXPECT_NE(std::find(found.begin(), found.end(), d), found.end()) << "key " << k << " lost document " << d;
    for (std::uint32_t d : found) strays += d % 300 != k;
  }
  // 22 fingerprint bits: a stray is a one-in-four-million event per probe.
  EXPECT_EQ(strays, 0u);
}

TEST(KeyTable, KeysSharingAProbeRunAreToldApartByFingerprint) {
  // Small keys all have home slot 0 (the home comes from the high bits): one probe run.
  detail::KeyTable table(3);
  table.add(1, 0);
  table.add(2, 1);
  table.add(1, 2);
  std::vector<std::uint32_t> found;
  table.for_each_candidate(1, [&](std::uint32_t d) { found.push_back(d); });
  EXPECT_EQ(found, (std::vector<std::uint32_t>{0, 2}));
  found.clear();
  table.for_each_candidate(2, [&](std::uint32_t d) { found.push_back(d); });
  EXPECT_EQ(found, (std::vector<std::uint32_t>{1}));
  found.clear();
  table.for_each_candidate(3, [&](std::uint32_t d) { found.push_back(d); });
  EXPECT_TRUE(found.empty());
}

struct Outcome {
  std::string kept;
  std::string removed;
  std::uint64_t kept_count = 0;
  std::uint64_t removed_count = 0;
};

Outcome batch(const std::vector<std::string>& paths, const PipelineOptions& options) {
  ReadOptions read_options;
  read_options.keep_lines = true;  // kept lines are the input's, as the streaming dedup writes them
  Analysis analysis = analyse(read_inputs(paths, read_options).documents, options);
  const DedupResult result = deduplicate(analysis, KeepPolicy::first);
  std::ostringstream kept, removed;
  write_kept(kept, analysis, result);
  write_removed(removed, analysis, result);
  return {kept.str(), removed.str(), result.kept.size(), result.removed.size()};
}

Outcome streamed(const std::vector<std::string>& paths, const PipelineOptions& options, std::size_t chunk_size) {
  std::ostringstream kept, removed;
  DedupSinks sinks;
  sinks.kept = [&](const Document& document) { write_kept_line(kept, document); };
  sinks.removed = [&](const Document& document, std::string_view duplicate_of, Relation relation, double score) {
    write_removed_line(removed, document.id, duplicate_of, relation, score);
  };
  const StreamedDedup result = detail::deduplicate_in_chunks(paths, {}, options, sinks, chunk_size);
  return {kept.str(), removed.str(), result.kept, result.removed};
}

void expect_same_as_batch(const std::vector<std::string>& paths, const PipelineOptions& options) {
  const Outcome expected = batch(paths, options);
  ASSERT_GT(expected.removed_count, 0u) << "a corpus without duplicates tells nothing";
  for (std::size_t chunk_size : {std::size_t{1}, std::size_t{100}, detail::dedup_chunk_size}) {
    const Outcome actual = streamed(paths, options, chunk_size);
    EXPECT_EQ(actual.kept_count, expected.kept_count) << "chunks of " << chunk_size;
    EXPECT_EQ(actual.removed_count, expected.removed_count) << "chunks of " << chunk_size;
    EXPECT_EQ(actual.removed, expected.removed) << "chunks of " << chunk_size;
    EXPECT_TRUE(actual.kept == expected.kept) << "kept documents differ, chunks of " << chunk_size;
  }
}

// The seeds with copies: whole-file documents, read again by path.
TEST(StreamingDedup, SameAsBatchOnSeedsWithCopies) {
  testing::TempDir dir;
  std::filesystem::copy(testing::fixtures_dir() + "/seeds", dir.path("in"), std::filesystem::copy_options::recursive);
  const auto seeds = testing::seeds();
  dir.file("in/005_copy.txt", seeds[1].text);
  dir.file("in/006_edited.txt", seeds[2].text + "\nOne more line at the end, which changes a few shingles.");
  expect_same_as_batch({dir.path("in")}, {});
}

// The dev corpus: JSON lines read again by offset; four English versions of each story and
// the boilerplate of its sites.
TEST(StreamingDedup, SameAsBatchOnTheDevCorpus) {
  if (!testing::have_dev_data()) GTEST_SKIP() << "no dev data at " << testing::dev_dir();
  PipelineOptions options;
  options.find_translations = false;
  expect_same_as_batch({testing::dev_dir() + "/docs.jsonl"}, options);
  options.near_duplicate_threshold = 0.3;
  expect_same_as_batch({testing::dev_dir() + "/docs.jsonl"}, options);
  options.sketch = SketchKind::simhash;
  expect_same_as_batch({testing::dev_dir() + "/docs.jsonl"}, options);
}

TEST(StreamingDedup, ReportsBothPassesToTheEnd) {
  testing::TempDir dir;
  std::string jsonl;
  for (int i = 0; i < 30; ++i)
    jsonl += "{\"id\":\"d" + std::to_string(i) + "\",\"text\":\"story " + std::to_string(i % 10) + " told in a few words\"}\n";
  const std::string path = dir.file("docs.jsonl", jsonl);
  std::vector<Progress> seen;
  std::vector<std::string> stages;
  PipelineOptions options;
  options.progress = [&](const Progress& progress) {
    seen.push_back(progress);
    stages.emplace_back(progress.stage);
  };
  const StreamedDedup result = detail::deduplicate_in_chunks({path}, {}, options, {}, 8);
  EXPECT_EQ(result.kept, 10u);
  EXPECT_EQ(result.removed, 20u);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(stages.front(), "reading");
  EXPECT_EQ(stages.back(), "deduplicating");
  EXPECT_EQ(seen.back().documents, 30u);
  EXPECT_DOUBLE_EQ(seen.back().fraction, 1.0);
  const auto last_reading = std::find_if(seen.rbegin(), seen.rend(), [](const Progress& p) { return p.stage == "reading"; });
  EXPECT_DOUBLE_EQ(last_reading->fraction, 1.0);
  for (std::size_t i = 1; i < seen.size(); ++i) {
    if (seen[i].stage == seen[i - 1].stage) {
      EXPECT_GE(seen[i].documents, seen[i - 1].documents);
    }
  }
}

TEST(Progress, FormatsStageDocumentsRateAndTimeLeft) {
  EXPECT_EQ(cli::format_progress({"deduplicating", 120000, 50'000'000, 0.25}, 10.0),
            "deduplicating: 120000 documents, 5.0 MB/s, 30 s left");
  EXPECT_EQ(cli::format_progress({"reading", 5, 1000, -1.0}, 2.0), "reading: 5 documents, 0.0 MB/s");
  EXPECT_EQ(cli::format_progress({"reading", 0, 0, 0.0}, 0.0), "reading: 0 documents");
  EXPECT_EQ(cli::duration_text(125.4), "2 min 5 s");
  EXPECT_EQ(cli::duration_text(4200), "1 h 10 min");
}

// Standard error here is a file: the command must write no progress line (no carriage return)
// and its summary as ever. Standard input is held and read again like a file.
TEST(Progress, NothingButTheSummaryWhenStandardErrorIsNotATerminal) {
  if (!testing::have_dev_data()) GTEST_SKIP() << "no dev data at " << testing::dev_dir();
  testing::TempDir dir;
  const std::string docs = testing::dev_dir() + "/docs.jsonl";
  const testing::CliRun from_file = testing::run_cli("dedup " + docs + " -o " + dir.path("kept.jsonl") + " --removed " + dir.path("removed.jsonl"));
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  EXPECT_EQ(from_file.err.find('\r'), std::string::npos) << from_file.err;
  EXPECT_EQ(from_file.err.rfind("neardup: 1054 read = ", 0), 0u) << from_file.err;
  const testing::CliRun from_stdin = testing::run_cli("dedup - -o " + dir.path("kept_stdin.jsonl") + " --removed " +
                                                      dir.path("removed_stdin.jsonl") + " < " + docs);
  ASSERT_EQ(from_stdin.exit_code, 0) << from_stdin.err;
  EXPECT_EQ(from_stdin.err, from_file.err);
  EXPECT_TRUE(testing::read_file(dir.path("kept_stdin.jsonl")) == testing::read_file(dir.path("kept.jsonl")));
  EXPECT_EQ(testing::read_file(dir.path("removed_stdin.jsonl")), testing::read_file(dir.path("removed.jsonl")));
}

}  // namespace
}  // namespace neardup

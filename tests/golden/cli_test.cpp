// The command's outputs are a contract: golden files hold their exact form on the seeds.
// After an intended change of output, regenerate with NEARDUP_UPDATE_GOLDEN=1 and review the diff.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

#include "support/cli.hpp"
#include "support/corpus.hpp"

namespace neardup {
namespace {

using testing::CliRun;
CliRun run(const std::string& arguments) { return testing::run_cli(arguments); }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path = testing::fixtures_dir() + "/golden/" + name;
  if (std::getenv("NEARDUP_UPDATE_GOLDEN") != nullptr) std::ofstream(path, std::ios::binary) << actual;
  EXPECT_EQ(actual, read_file(path)) << "output differs from " << path;
}

const std::string seeds_dir = testing::fixtures_dir() + "/seeds";

TEST(CliGolden, PairsOnSeeds) {
  const CliRun result = run("pairs " + seeds_dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  expect_golden("seeds_pairs.jsonl", result.out);
  EXPECT_NE(result.err.find("1 translation"), std::string::npos) << result.err;
}

TEST(CliGolden, ClusterOnSeeds) {
  const CliRun result = run("cluster " + seeds_dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  expect_golden("seeds_clusters.jsonl", result.out);
}

TEST(CliGolden, DedupOnSeedsWithACopy) {
  const auto dir = std::filesystem::temp_directory_path() / ("neardup_dedup_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::filesystem::copy(seeds_dir, dir, std::filesystem::copy_options::recursive);
  std::filesystem::copy_file(dir / "001_05db9d16e02c2170.txt", dir / "005_copy.txt");
  const CliRun result = run("dedup " + dir.string() + " -o " + (dir / "kept.jsonl").string() + " --removed " + (dir / "removed.jsonl").string());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("6 read = 5 kept + 1 removed + 0 rejected"), std::string::npos) << result.err;
  expect_golden("seeds_removed.jsonl", read_file((dir / "removed.jsonl").string()));
  std::filesystem::remove_all(dir);
}

TEST(CliErrors, BadInputExitsOneNamingFileAndLine) {
  const CliRun result = run("pairs " + testing::fixtures_dir() + "/bad/malformed.jsonl");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("malformed.jsonl:"), std::string::npos) << result.err;
  EXPECT_TRUE(result.out.empty());
}

TEST(CliErrors, SkipModeCountsRejected) {
  const CliRun result = run("dedup --on-error skip " + testing::fixtures_dir() + "/bad/malformed.jsonl -o /dev/null");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("rejected"), std::string::npos) << result.err;
}

TEST(CliErrors, WritingToADeviceKeepsTheDevice) {
  // Outputs are written to a temporary file and renamed over the target; a device must be
  // written in place instead, or /dev/null would become a regular file.
  const CliRun result = run("pairs -q " + seeds_dir + " -o /dev/null");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(std::filesystem::is_character_file("/dev/null"));
}

TEST(CliErrors, BadUsageExitsTwo) {
  EXPECT_EQ(run("pairs").exit_code, 2);
  EXPECT_EQ(run("frobnicate x").exit_code, 2);
  EXPECT_EQ(run("pairs --threshold 7 " + seeds_dir).exit_code, 2);
  EXPECT_EQ(run("pairs --help").exit_code, 0);
}

TEST(CliErrors, AFailedRunLeavesThePreviousOutputIntact) {
  const auto out = std::filesystem::temp_directory_path() / ("neardup_keep_" + std::to_string(::getpid()) + ".jsonl");
  std::ofstream(out) << "previous\n";
  const CliRun result = run("pairs " + testing::fixtures_dir() + "/bad/malformed.jsonl -o " + out.string());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(read_file(out.string()), "previous\n");
  std::filesystem::remove(out);
}

}  // namespace
}  // namespace neardup

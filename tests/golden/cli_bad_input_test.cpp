// The command on bad input: exit codes, messages, and the dedup account
// (read = kept + removed + rejected) for every kind of bad input in docs/bad_input.md.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <string_view>
#include <sys/wait.h>
#include <unistd.h>

#include "support/cli.hpp"
#include "support/corpus.hpp"
#include "support/temp_dir.hpp"

namespace neardup {
namespace {

namespace fs = std::filesystem;
using testing::CliRun;
using testing::TempDir;
CliRun run(const std::string& arguments) { return testing::run_cli(arguments); }


std::size_t count_lines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::size_t lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  return lines;
}

struct Account {
  std::size_t read = 0, kept = 0, removed = 0, rejected = 0;
};

// Runs dedup in skip mode on `input`, checks that the summary adds up and that the output files
// hold as many lines as it says, and returns the summary (all rejected when nothing was kept).
Account dedup_account(const std::string& input) {
  TempDir out;
  const std::string kept_path = out.path("kept.jsonl");
  const std::string removed_path = out.path("removed.jsonl");
  const CliRun result = run("dedup --on-error skip " + input + " -o " + kept_path + " --removed " + removed_path);
  std::smatch match;
  // Nothing accepted is a failed run: exit 1, and no output written.
  static const std::regex all_rejected(R"(every document was rejected \((\d+)\))");
  if (std::regex_search(result.err, match, all_rejected)) {
    EXPECT_EQ(result.exit_code, 1) << result.err;
    EXPECT_FALSE(std::filesystem::exists(kept_path));
    EXPECT_FALSE(std::filesystem::exists(removed_path));
    const std::size_t rejected = std::stoul(match[1]);
    return {rejected, 0, 0, rejected};
  }
  EXPECT_EQ(result.exit_code, 0) << result.err;
  static const std::regex summary(R"((\d+) read = (\d+) kept \+ (\d+) removed \+ (\d+) rejected)");
  if (!std::regex_search(result.err, match, summary)) {
    ADD_FAILURE() << "no summary in: " << result.err;
    return {};
  }
  const Account account{std::stoul(match[1]), std::stoul(match[2]), std::stoul(match[3]), std::stoul(match[4])};
  EXPECT_EQ(account.read, account.kept + account.removed + account.rejected) << result.err;
  EXPECT_EQ(count_lines(kept_path), account.kept);
  EXPECT_EQ(count_lines(removed_path), account.removed);
  std::size_t skipped_lines = 0;
  for (std::size_t at = 0; (at = result.err.find("skipped: ", at)) != std::string::npos; ++at) ++skipped_lines;
  EXPECT_EQ(skipped_lines, account.rejected) << result.err;
  return account;
}

std::string bad(const std::string& name) { return testing::fixtures_dir() + "/bad/" + name; }

// --- one account per bad fixture: {file, documents kept, rejected} ---

struct FixtureCase {
  std::string file;
  std::size_t kept;
  std::size_t rejected;
};

class CliBadFixture : public ::testing::TestWithParam<FixtureCase> {};

TEST_P(CliBadFixture, DedupAccountAddsUp) {
  const FixtureCase& expected = GetParam();
  const Account account = dedup_account(bad(expected.file));
  EXPECT_EQ(account.kept + account.removed, expected.kept);
  EXPECT_EQ(account.rejected, expected.rejected);
}

TEST_P(CliBadFixture, FailModeExitsOneNamingTheFile) {
  const FixtureCase& expected = GetParam();
  const CliRun result = run("dedup " + bad(expected.file) + " -o -");
  if (expected.rejected == 0) {
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return;
  }
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(bad(expected.file)), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("--on-error skip"), std::string::npos) << result.err;
  EXPECT_TRUE(result.out.empty());
}

const FixtureCase fixture_cases[] = {
    {"binary.txt", 0, 1},          {"blank.txt", 0, 1},          {"cp1252_line.jsonl", 2, 1},
    {"duplicate_ids.jsonl", 2, 1}, {"empty.txt", 0, 1},          {"empty_text.jsonl", 1, 1},
    {"latin1.txt", 0, 1},          {"malformed.jsonl", 2, 1},    {"missing_text.jsonl", 1, 1},
    {"text_not_string.jsonl", 1, 1}, {"truncated.jsonl", 2, 1},  {"utf16le_bom.txt", 0, 1},
    {"utf8_bom.txt", 1, 0},
};

INSTANTIATE_TEST_SUITE_P(Cli, CliBadFixture, ::testing::ValuesIn(fixture_cases),
                         [](const ::testing::TestParamInfo<FixtureCase>& case_info) {
                           std::string name = case_info.param.file;
                           for (char& c : name)
                             if (c == '.') c = '_';
                           return name;
                         });

TEST(CliBadInput, WholeBadFolderAddsUp) {
  std::size_t kept = 0, rejected = 0;
  for (const FixtureCase& fixture : fixture_cases) {
    kept += fixture.kept;
    rejected += fixture.rejected;
  }
  const Account account = dedup_account(testing::fixtures_dir() + "/bad");
  EXPECT_EQ(account.kept + account.removed, kept);
  EXPECT_EQ(account.rejected, rejected);
}

// --- generated cases ---

TEST(CliBadInput, OtherEncodingsAddUp) {
  TempDir dir;
  std::string utf16be;
  for (const char c : std::string_view("Guten Morgen, wie geht es Ihnen?\n")) utf16be += std::string{'\0', c};
  dir.file("in/utf16be.txt", utf16be);
  dir.file("in/utf32le_bom.txt", std::string("\xFF\xFE\0\0H\0\0\0i\0\0\0", 12));
  dir.file("in/invalid.txt", "caf\xE9 cr\xE8me");
  dir.file("in/good.txt", "Das Wetter ist heute sch\u00f6n.");
  const Account account = dedup_account(dir.path("in"));
  EXPECT_EQ(account.read, 4u);
  EXPECT_EQ(account.kept, 1u);
  EXPECT_EQ(account.rejected, 3u);
}

TEST(CliBadInput, JsonLinesWithEveryLineProblemAddsUp) {
  TempDir dir;
  const std::string file = dir.file(
      "docs.jsonl",
      "{\"id\": \"a\", \"text\": \"The river rose overnight.\"}\n"
      "{\"id\": \"a\", \"text\": \"A second a.\"}\n"  // duplicate id
      "{\"text\": \"no id\"}\n"
      "{\"id\": \"b\"}\n"                           // no text
      "{\"id\": [1], \"text\": \"id of the wrong type\"}\n"
      "{\"id\": \"c\", \"text\": 3}\n"                // text of the wrong type
      "{\"id\": \"d\", \"text\": \"   \"}\n"           // empty document
      "{\"id\": \"e\", \"text\": \"cut sh\n"           // malformed
      "{\"id\": \"f\", \"text\": \"The river rose overnight.\"}\n"  // exact duplicate of a
      "{\"id\": \"g\", \"text\": \"!!! \xF0\x9F\x98\x80 ...\"}\n"   // no letters
      "{\"id\": \"h\", \"text\": \"trun");                           // truncated last line
  const Account account = dedup_account(file);
  EXPECT_EQ(account.read, 11u);
  EXPECT_EQ(account.kept, 2u);
  EXPECT_EQ(account.removed, 1u);
  EXPECT_EQ(account.rejected, 8u);
}

TEST(CliBadInput, DocumentsWithoutLettersAreKept) {
  TempDir dir;
  dir.file("in/punct.txt", "!!! ... ??? --- ***\n");
  dir.file("in/emoji.txt", "\xF0\x9F\x98\x80\xF0\x9F\x8E\x89 \xF0\x9F\x91\x8D\n");
  dir.file("in/numbers.txt", "12 345 6789\n");
  const Account account = dedup_account(dir.path("in"));
  EXPECT_EQ(account.read, 3u);
  EXPECT_EQ(account.kept, 3u);
  const CliRun pairs = run("pairs " + dir.path("in"));
  EXPECT_EQ(pairs.exit_code, 0) << pairs.err;
  EXPECT_TRUE(pairs.out.empty()) << pairs.out;
}

TEST(CliBadInput, UnreadableAndLoopingPathsAddUp) {
  TempDir dir;
  dir.file("in/good.txt", "Il fait beau aujourd'hui.");
  fs::create_symlink(dir.path("in/loop_b.txt"), dir.path("in/loop_a.txt"));
  fs::create_symlink(dir.path("in/loop_a.txt"), dir.path("in/loop_b.txt"));
  fs::create_symlink(dir.path("in/gone.txt"), dir.path("in/dangling.txt"));
  fs::create_directory_symlink(dir.path("in"), dir.path("in/up"));
  if (fs::exists("/proc/self/mem")) fs::create_symlink("/proc/self/mem", dir.path("in/unreadable.txt"));
  const Account account = dedup_account(dir.path("in"));
  EXPECT_EQ(account.kept, 1u);
  EXPECT_EQ(account.rejected, fs::exists("/proc/self/mem") ? 4u : 3u);

  const CliRun named = run("dedup " + dir.path("in/loop_a.txt") + " -o -");
  EXPECT_EQ(named.exit_code, 1);
  EXPECT_NE(named.err.find("Too many levels of symbolic links"), std::string::npos) << named.err;
  const CliRun missing = run("dedup --on-error skip " + dir.path("nothing.txt") + " -o -");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("nothing.txt: no such file or folder"), std::string::npos) << missing.err;
}

TEST(CliBadInput, HugeDocumentIsCutAndCounted) {
  TempDir dir;
  // Mostly spaces, which normalisation folds away: the later stages stay cheap, the reader
  // still sees a document over the limit.
  dir.file("in/huge.txt", "The river rose overnight and closed two bridges near the old mill. " +
                              std::string((std::size_t{64} << 20) + 4096, ' ') + "The end.");
  dir.file("in/small.txt", "A small note about something else entirely.");
  const Account account = dedup_account(dir.path("in"));
  EXPECT_EQ(account.read, 2u);
  EXPECT_EQ(account.kept, 2u);
}

// --- outputs that cannot be written ---

TEST(CliBadOutput, OutputInAMissingFolderExitsOneAndWritesNothing) {
  TempDir dir;
  const std::string seeds = testing::fixtures_dir() + "/seeds";
  const CliRun kept = run("dedup " + seeds + " -o " + dir.path("missing/kept.jsonl"));
  EXPECT_EQ(kept.exit_code, 1);
  EXPECT_NE(kept.err.find(dir.path("missing/kept.jsonl") + ": cannot write here"), std::string::npos) << kept.err;
  EXPECT_TRUE(kept.out.empty());

  // The kept file can be written, the removed one cannot: neither is left behind.
  const CliRun removed = run("dedup " + seeds + " -o " + dir.path("kept.jsonl") + " --removed " + dir.path("missing/removed.jsonl"));
  EXPECT_EQ(removed.exit_code, 1);
  EXPECT_NE(removed.err.find("cannot write here"), std::string::npos) << removed.err;
  EXPECT_TRUE(fs::is_empty(dir.path(""))) << "a file was left behind";

  const CliRun pairs = run("pairs " + seeds + " -o " + dir.path("missing/pairs.jsonl"));
  EXPECT_EQ(pairs.exit_code, 1);
  EXPECT_NE(pairs.err.find("cannot write here"), std::string::npos) << pairs.err;
}

}  // namespace
}  // namespace neardup

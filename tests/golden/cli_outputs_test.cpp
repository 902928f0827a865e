// The outputs of a run as one transaction: a failed run changes none, no output replaces an
// input or another output, and a kept line is written whole.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <sys/wait.h>
#include <filesystem>
#include <sys/stat.h>

#include "ingest/read.hpp"
#include "support/cli.hpp"
#include "support/corpus.hpp"
#include "support/temp_dir.hpp"

namespace neardup {
namespace {

using testing::CliRun;
using testing::run_cli;

const std::string corpus =
    "{\"id\":\"a\",\"text\":\"The council voted on Tuesday to close the old bridge for repairs.\"}\n"
    "{\"id\":\"b\",\"text\":\"The council voted on Tuesday to close the old bridge for repairs.\"}\n";

TEST(CliOutputs, TwoOutputsNamingOneFileAreRefusedBeforeReading) {
  testing::TempDir dir;
  const std::string docs = dir.file("docs.jsonl", corpus);
  const std::string previous = dir.file("x.jsonl", "previous\n");
  for (const std::string& arguments :
       {"dedup " + docs + " -o " + previous + " --removed " + previous,
        "dedup " + docs + " -o " + previous + " --stats " + dir.path("sub/../x.jsonl"),
        "pairs " + docs + " -o " + previous + " --rejected " + previous,
        "cluster " + docs + " -o " + dir.path("c.html") + " --report " + dir.path("c.html")}) {
    const CliRun run = run_cli(arguments);
    EXPECT_EQ(run.exit_code, 2) << arguments << "\n" << run.err;
    EXPECT_NE(run.err.find("give each output a file of its own"), std::string::npos) << run.err;
    EXPECT_EQ(testing::read_file(previous), "previous\n");
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path("c.html")));
  // Devices are written in place and may repeat.
  EXPECT_EQ(run_cli("dedup " + docs + " -o /dev/null --removed /dev/null -q").exit_code, 0);
}

TEST(CliOutputs, AnOutputThatIsAnInputIsRefused) {
  testing::TempDir dir;
  const std::string docs = dir.file("in/docs.jsonl", corpus);
  for (const std::string& arguments : {"dedup " + docs + " -o " + docs, "dedup " + docs + " -o " + dir.path("k.jsonl") + " --removed " + docs,
                                      "pairs " + dir.path("in") + " -o " + docs, "dedup " + dir.path("in/../in/docs.jsonl") + " -o " + docs}) {
    const CliRun run = run_cli(arguments);
    EXPECT_EQ(run.exit_code, 2) << arguments << "\n" << run.err;
    EXPECT_NE(run.err.find("is also an input"), std::string::npos) << run.err;
    EXPECT_EQ(testing::read_file(docs), corpus);
  }
  // A new file in an input folder is not read: the outputs are made after the inputs are.
  const CliRun beside = run_cli("dedup " + dir.path("in") + " -o " + dir.path("in/kept.jsonl") + " -q");
  EXPECT_EQ(beside.exit_code, 0) << beside.err;
}

// /dev/full takes the kept lines and then fails to write them: the other outputs of the run,
// already complete, must not replace the previous files.
TEST(CliOutputs, AFailedOutputLeavesEveryOtherOutputAsItWas) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  testing::TempDir dir;
  const std::string docs = dir.file("docs.jsonl", corpus);
  const std::string removed = dir.file("removed.jsonl", "previous removed\n");
  const std::string stats = dir.file("stats.json", "previous stats\n");
  const CliRun dedup = run_cli("dedup " + docs + " -o /dev/full --removed " + removed + " --stats " + stats);
  EXPECT_EQ(dedup.exit_code, 1) << dedup.err;
  EXPECT_NE(dedup.err.find("writing failed"), std::string::npos) << dedup.err;
  EXPECT_EQ(testing::read_file(removed), "previous removed\n");
  EXPECT_EQ(testing::read_file(stats), "previous stats\n");

  const std::string report = dir.file("report.html", "previous report\n");
  const CliRun cluster = run_cli("cluster " + docs + " -o /dev/full --report " + report);
  EXPECT_EQ(cluster.exit_code, 1) << cluster.err;
  EXPECT_EQ(testing::read_file(report), "previous report\n");
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    EXPECT_EQ(entry.path().string().find(".tmp."), std::string::npos) << "left behind: " << entry.path();
}

// Over the comparison cap, a JSON line's text is compared on its first 64 MiB but the line is
// kept whole.
TEST(CliOutputs, AKeptLineOverTheCapIsWrittenWhole) {
  const std::string text(detail::max_document_bytes + 100, 'x');
  const std::string line = "{\"id\":\"huge\",\"text\":\"" + text + "\",\"url\":\"http://x\"}";
  ReadOptions options;
  options.keep_lines = true;
  const ReadResult read = detail::read_jsonl_buffer(line, "huge.jsonl", options);
  ASSERT_EQ(read.documents.size(), 1u);
  EXPECT_EQ(read.documents[0].text.size(), detail::max_document_bytes);
  EXPECT_TRUE(read.documents[0].original_line == line);
  ASSERT_EQ(read.warnings.size(), 1u);
  EXPECT_NE(read.warnings[0].message.find("writes a kept JSON line whole"), std::string::npos) << read.warnings[0].message;
}

// A pipe is read once, as standard input is: dedup's second pass reads the spool, not the pipe
// (it used to block forever opening the FIFO again).
TEST(CliOutputs, AFifoIsReadOnce) {
  testing::TempDir dir;
  const std::string docs = dir.file("docs.jsonl", corpus);
  const std::string fifo = dir.path("pipe");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  ASSERT_EQ(std::system(("cat " + docs + " > " + fifo + " &").c_str()), 0);
  const CliRun run = run_cli("dedup " + fifo + " -o " + dir.path("kept.jsonl") + " --removed " + dir.path("removed.jsonl"));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(testing::read_file(dir.path("kept.jsonl")), corpus.substr(0, corpus.find('\n') + 1));
  EXPECT_NE(testing::read_file(dir.path("removed.jsonl")).find("\"duplicate_of\":\"a\""), std::string::npos);
}

// Nesting and field counts are bounded before parsing: a line nested 100,000 deep used to crash
// every command, and 100,000 fields took 13 s (time grew with their square).
TEST(CliOutputs, DeepOrWideLinesAreBadLines) {
  testing::TempDir dir;
  const std::string deep = "{\"id\":\"deep\",\"text\":\"some words here\",\"x\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  std::string wide = "{\"id\":\"wide\",\"text\":\"other words there\"";
  for (int i = 0; i < 100000; ++i) wide += ",\"f" + std::to_string(i) + "\":" + std::to_string(i);
  wide += "}";
  std::string fine = "{\"id\":\"fine\",\"text\":\"a good line: [brackets] and {braces} and : colons in the text\"";
  for (int i = 0; i < 3000; ++i) fine += ",\"f" + std::to_string(i) + "\":[[{\"k\":\"\\\"]\"}]]";
  fine += "}";
  const std::string docs = dir.file("docs.jsonl", deep + "\n" + wide + "\n" + fine + "\n");
  const CliRun failed = run_cli("pairs " + docs);
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_NE(failed.err.find("docs.jsonl:1: the line is nested deeper than 512 levels"), std::string::npos) << failed.err;
  const CliRun skipped = run_cli("dedup " + docs + " --on-error skip -o " + dir.path("kept.jsonl"));
  EXPECT_EQ(skipped.exit_code, 0) << skipped.err;
  EXPECT_NE(skipped.err.find("docs.jsonl:2: the line has more than 10000 fields"), std::string::npos) << skipped.err;
  EXPECT_NE(skipped.err.find("3 read = 1 kept + 0 removed + 2 rejected"), std::string::npos) << skipped.err;
}

// An id or a file name cannot forge a line of the messages: control characters are escaped.
TEST(CliOutputs, IdsAndFileNamesAreEscapedInMessages) {
  testing::TempDir dir;
  const std::string docs = dir.file("bad\nname.jsonl",
                                    "{\"id\":\"x\\nskipped: forged\",\"text\":\"one text\"}\n"
                                    "{\"id\":\"x\\nskipped: forged\",\"text\":\"two text\"}\n");
  const CliRun run = run_cli("pairs '" + docs + "' --on-error skip");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("bad\\nname.jsonl:2: duplicate id \"x\\nskipped: forged\""), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("\nskipped: forged"), std::string::npos) << run.err;
}

// Copies of one text are written as a star on the first: 100,000 copies used to take 12.6 GB and
// die ("internal error: std::bad_alloc"), and 10,000 wrote 49,995,000 lines. The star stays one
// cluster, is read back by evaluate as every couple, and --all-pairs still gives the clique.
TEST(CliOutputs, CopiesOfOneTextAreAStarNotEveryCouple) {
  testing::TempDir dir;
  const std::string text = "The council voted on Tuesday to close the old bridge for repairs until the spring.";
  constexpr int copies = 1000;
  std::string docs_text, truth = "id\tstory\tlang\n";
  for (int d = 0; d < copies; ++d) {
    docs_text += "{\"id\":\"c" + std::to_string(d) + "\",\"text\":\"" + text + "\"}\n";
    truth += "c" + std::to_string(d) + "\tbridge\teng_Latn\n";
  }
  const std::string docs = dir.file("docs.jsonl", docs_text);
  const CliRun pairs = run_cli("pairs -q " + docs + " -o " + dir.path("pairs.jsonl"));
  ASSERT_EQ(pairs.exit_code, 0) << pairs.err;
  std::istringstream lines(testing::read_file(dir.path("pairs.jsonl")));
  int count = 0;
  for (std::string line; std::getline(lines, line); ++count) {
    ASSERT_EQ(line.rfind("{\"a\":\"c0\",\"b\":\"c", 0), 0U) << line;
    ASSERT_NE(line.find("\"relation\":\"exact-duplicate\""), std::string::npos) << line;
  }
  EXPECT_EQ(count, copies - 1);

  const CliRun cluster = run_cli("cluster -q " + docs + " -o " + dir.path("clusters.jsonl"));
  ASSERT_EQ(cluster.exit_code, 0) << cluster.err;
  const std::string clusters = testing::read_file(dir.path("clusters.jsonl"));
  EXPECT_EQ(std::count(clusters.begin(), clusters.end(), '\n'), 1) << clusters.substr(0, 300);
  EXPECT_NE(clusters.find("\"size\":" + std::to_string(copies)), std::string::npos) << clusters.substr(0, 300);

  const std::string truth_path = dir.file("truth.tsv", truth);
  const CliRun scores = run_cli("evaluate --truth " + truth_path + " --pairs " + dir.path("pairs.jsonl"));
  ASSERT_EQ(scores.exit_code, 0) << scores.err;
  EXPECT_NE(scores.out.find("duplicate pairs              P 1.0000  R 1.0000"), std::string::npos) << scores.out;

  const std::string five = dir.file("five.jsonl", docs_text.substr(0, 5 * (docs_text.find('\n') + 1)));
  const CliRun all = run_cli("pairs -q --all-pairs " + five);
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_EQ(std::count(all.out.begin(), all.out.end(), '\n'), 10) << all.out;
}

// Running out of memory is exit 4 with the stage that ran out, not "internal error" (exit 3).
// Sanitizers reserve more address space than the limit allows, so they cannot run this.
TEST(CliOutputs, RunningOutOfMemoryExitsFourNamingTheStage) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "an address-space limit cannot hold a sanitized process";
#else
  testing::TempDir dir;
  std::string docs_text;
  for (int d = 0; d < 100000; ++d)
    docs_text += "{\"id\":\"n" + std::to_string(d) + "\",\"text\":\"The council voted on Tuesday to close bridge number " +
                 std::to_string(d) + " for repairs. Work starts in the spring and ends in the autumn.\"}\n";
  const std::string docs = dir.file("docs.jsonl", docs_text);
  const std::string err = dir.path("err.txt");
  const int status = std::system(("ulimit -v 150000; " + std::string(NEARDUP_CLI_PATH) + " pairs -q " + docs + " -o " +
                                  dir.path("pairs.jsonl") + " 2>" + err).c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 4) << testing::read_file(err);
  EXPECT_NE(testing::read_file(err).find("neardup pairs: out of memory at the stage '"), std::string::npos) << testing::read_file(err);
  EXPECT_FALSE(std::filesystem::exists(dir.path("pairs.jsonl")));
#endif
}

}  // namespace
// --quiet holds back the summaries of index create and add, as it does every command's; without
// it they say what the index holds.
TEST(CliOutputs, QuietIndexCommandsSayNothing) {
  testing::TempDir dir;
  const std::string docs = dir.file("docs.jsonl", corpus);
  const std::string index = dir.path("index");
  for (const std::string& action : {"create " + index, "add " + index + " " + docs}) {
    const CliRun quiet = run_cli("index " + action + " -q");
    EXPECT_EQ(quiet.exit_code, 0) << action << "\n" << quiet.err;
    EXPECT_EQ(quiet.err, "") << action;
  }
  const CliRun told = run_cli("index add " + index + " " + docs);
  EXPECT_EQ(told.exit_code, 0) << told.err;
  EXPECT_NE(told.err.find(" in the index"), std::string::npos) << told.err;
}

}  // namespace neardup

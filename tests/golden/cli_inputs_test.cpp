// Corpora as data engineers have them: JSON lines with fields of every kind, compressed shards,
// other field names, standard input, threads, and exits that say what happened.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <cstdio>

#include "support/cli.hpp"
#include "support/compress.hpp"
#include "support/corpus.hpp"
#include "support/temp_dir.hpp"

namespace neardup {
namespace {

using testing::CliRun;
using testing::run_cli;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Lines with other fields of every kind JSON has; b1 and b2 copy a1 and a2 (whose other fields
// differ), c1 is on its own.
const std::string a1 =
    R"({"id":"a1","text":"The council voted on Tuesday to close the old bridge over the river for repairs until spring.","url":"http://example.com/a?x=1&y=2","date":"2026-11-30","meta":{"source":{"name":"Wire","tags":["news","local"]},"n":[1,-2.5,3e8,18446744073709551615,null,true,false],"empty":{},"none":[]},"score":0.125,"ok":true,"gone":null})";
const std::string a2 =
    R"({"id":"a2","text":"Наш корреспондент сообщает из Москвы: переговоры продолжатся в пятницу, заявили в министерстве.","lang":"ru","quote":"\"esc\" \\ \/ \b\f\n\r\t \u00e9\u0928\ud83d\ude00","ключ":"значение","日本語":{"キー":[{"深い":[[[]]]}]},"n":-0})";
const std::string b1 =
    R"({"text":"The council voted on Tuesday to close the old bridge over the river for repairs until spring.","id":"b1","url":"http://example.org/copy","big":1.7976931348623157e308})";
const std::string b2 =
    R"({"id":"b2","text":"Наш корреспондент сообщает из Москвы: переговоры продолжатся в пятницу, заявили в министерстве.","lang":"ru","meta":{"lang":"xx","list":[{"a":null}]}})";
const std::string c1 = R"({"id":42,"text":"A completely different story about a football match that ended in a draw.","tags":[],"obj":{"k":"v"}})";

std::string every_kind_corpus() { return a1 + "\n" + a2 + "\n" + b1 + "\n" + b2 + "\n" + c1 + "\n"; }

TEST(CliInputs, OtherFieldsOfEveryKindGoThroughEveryCommand) {
  testing::TempDir dir;
  const std::string docs = dir.file("docs.jsonl", every_kind_corpus());
  for (const std::string keep : {"first", "longest"}) {
    const CliRun dedup = run_cli("dedup " + docs + " --keep " + keep + " -o " + dir.path("kept.jsonl") + " --removed " + dir.path("removed.jsonl"));
    ASSERT_EQ(dedup.exit_code, 0) << dedup.err;
    // Kept lines are the input lines, byte for byte.
    EXPECT_EQ(lines_of(testing::read_file(dir.path("kept.jsonl"))), (std::vector<std::string>{a1, a2, c1})) << keep;
    const auto removed = lines_of(testing::read_file(dir.path("removed.jsonl")));
    ASSERT_EQ(removed.size(), 2u) << keep;
    EXPECT_EQ(nlohmann::json::parse(removed[0])["duplicate_of"], "a1");
    EXPECT_EQ(nlohmann::json::parse(removed[1])["duplicate_of"], "a2");
  }
  const CliRun pairs = run_cli("pairs " + docs);
  ASSERT_EQ(pairs.exit_code, 0) << pairs.err;
  EXPECT_NE(pairs.out.find(R"("a":"a1","b":"b1","relation":"exact-duplicate")"), std::string::npos) << pairs.out;
  const CliRun cluster = run_cli("cluster " + docs + " --report " + dir.path("report.html"));
  ASSERT_EQ(cluster.exit_code, 0) << cluster.err;
  EXPECT_EQ(lines_of(cluster.out).size(), 3u) << cluster.out;
  ASSERT_EQ(run_cli("index create " + dir.path("index")).exit_code, 0);
  const CliRun add = run_cli("index add " + dir.path("index") + " " + docs);
  ASSERT_EQ(add.exit_code, 0) << add.err;
  EXPECT_NE(add.err.find("added 5 documents"), std::string::npos) << add.err;
}

TEST(CliInputs, NamedAndNestedFields) {
  testing::TempDir dir;
  const std::string docs = dir.file("crawl.jsonl",
      R"({"doc_id":"p1","content":"Heavy rain flooded the market square and closed three roads on Monday morning.","meta":{"lang":"en","url":"http://x"}})"
      "\n"
      R"({"doc_id":"p2","content":"Heavy rain flooded the market square and closed three roads on Monday morning.","meta":{"lang":"en"},"text":"not this"})"
      "\n");
  const CliRun dedup = run_cli("dedup " + docs + " --text-field content --id-field doc_id --lang-field meta.lang -o " + dir.path("kept.jsonl") +
                               " --removed " + dir.path("removed.jsonl") + " --stats " + dir.path("stats.json"));
  ASSERT_EQ(dedup.exit_code, 0) << dedup.err;
  EXPECT_EQ(testing::read_file(dir.path("kept.jsonl")), lines_of(testing::read_file(docs))[0] + "\n");
  EXPECT_EQ(testing::read_file(dir.path("removed.jsonl")), R"({"id":"p2","duplicate_of":"p1","relation":"exact-duplicate","score":1.0})" "\n");
  const auto stats = nlohmann::json::parse(testing::read_file(dir.path("stats.json")));
  EXPECT_EQ(stats["read"], 2);
  EXPECT_EQ(stats["exact_duplicates"], 1);
  EXPECT_EQ(stats["languages"]["en"]["removed"], 1);

  // Without the names, the fields are missing: an error naming file, line and field.
  const CliRun unnamed = run_cli("pairs " + docs);
  EXPECT_EQ(unnamed.exit_code, 1);
  EXPECT_NE(unnamed.err.find("crawl.jsonl:1: no \"id\" field"), std::string::npos) << unnamed.err;
  EXPECT_NE(unnamed.err.find("--id-field"), std::string::npos) << unnamed.err;
  const CliRun missing = run_cli("pairs " + docs + " --id-field doc_id --text-field body");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("crawl.jsonl:1: no \"body\" field"), std::string::npos) << missing.err;
}

// A text document (no line to copy) is written back with the names it was read by.
TEST(CliInputs, RebuiltKeptLinesUseTheInputsFieldNames) {
  testing::TempDir dir;
  dir.file("pages/one.txt", "A short page about the weather in the hills this week.");
  const CliRun dedup = run_cli("dedup " + dir.path("pages") + " --text-field body --id-field meta.key -o " + dir.path("kept.jsonl"));
  ASSERT_EQ(dedup.exit_code, 0) << dedup.err;
  EXPECT_EQ(testing::read_file(dir.path("kept.jsonl")),
            R"({"body":"A short page about the weather in the hills this week.","meta":{"key":"one"}})" "\n");
}

std::string dedup_outputs(const std::string& arguments, const testing::TempDir& dir) {
  const CliRun run = run_cli("dedup " + arguments + " -o " + dir.path("k.jsonl") + " --removed " + dir.path("r.jsonl") + " -q");
  EXPECT_EQ(run.exit_code, 0) << arguments << "\n" << run.err;
  return testing::read_file(dir.path("k.jsonl")) + "--\n" + testing::read_file(dir.path("r.jsonl"));
}

// The dev corpus when it is here, else the seeds as JSON Lines with copies: a corpus with
// removals either way.
std::string corpus_bytes() {
  if (testing::have_dev_data()) return testing::read_file(testing::dev_dir() + "/docs.jsonl");
  std::string bytes;
  for (const auto& document : testing::seeds())
    for (const std::string copy : {"", "-copy"})
      bytes += nlohmann::json{{"id", document.id + copy}, {"text", document.text}, {"url", "http://x/" + document.id}}.dump() + "\n";
  return bytes;
}

TEST(CliInputs, CompressedShardsKeepWhatThePlainFileKeeps) {
  testing::TempDir dir;
  const std::string bytes = corpus_bytes();
  const std::string plain = dir.file("docs.jsonl", bytes);
  const std::string expected = dedup_outputs(plain, dir);
  EXPECT_EQ(dedup_outputs(dir.file("docs.jsonl.gz", testing::gzip(bytes)), dir), expected);
  EXPECT_EQ(dedup_outputs(dir.file("docs.jsonl.zst", testing::zstd(bytes)), dir), expected);
  // By the magic bytes, whatever the name says; two gzip members as `cat a.gz b.gz` makes.
  const std::size_t half = bytes.find('\n', bytes.size() / 2) + 1;
  EXPECT_EQ(dedup_outputs(dir.file("misnamed.jsonl", testing::gzip(bytes.substr(0, half)) + testing::gzip(bytes.substr(half))), dir), expected);
  EXPECT_EQ(dedup_outputs(dir.file("shard.zst", testing::zstd(bytes)), dir), expected);
  EXPECT_EQ(dedup_outputs("- < " + dir.file("stdin.gz", testing::gzip(bytes)), dir), expected);
  // pairs reads them as it reads the plain file.
  EXPECT_EQ(run_cli("pairs " + dir.path("docs.jsonl.zst")).out, run_cli("pairs " + plain).out);

  const std::string gz = testing::gzip(bytes);
  const CliRun truncated = run_cli("dedup " + dir.file("cut.jsonl.gz", gz.substr(0, gz.size() / 2)) + " -o " + dir.path("k2.jsonl"));
  EXPECT_EQ(truncated.exit_code, 1);
  EXPECT_NE(truncated.err.find("cut.jsonl.gz: the gzip data ends early"), std::string::npos) << truncated.err;
  EXPECT_FALSE(std::filesystem::exists(dir.path("k2.jsonl")));
}

TEST(CliInputs, OtherFormatsAreNamedWithWhatToDo) {
  testing::TempDir dir;
  const std::vector<std::pair<std::string, std::string>> files = {
      {"a.jsonl.bz2", std::string("BZh91AY&SY") + std::string(20, '\x01')},
      {"a.jsonl.xz", std::string("\xFD" "7zXZ\0\0\x04", 8) + std::string(20, '\x01')},
      {"a.zip", std::string("PK\x03\x04\x14\0\0\0", 8) + std::string(20, '\x01')},
      {"a.parquet", std::string("PAR1\x15\x04\x15", 7) + std::string(20, '\x01')},
      {"a.csv", "id,text\n1,hello\n"},
      {"a.tsv", "id\ttext\n1\thello\n"},
  };
  const std::vector<std::string> named = {"bzip2", "xz", "zip archive", "Parquet", "CSV table", "TSV table"};
  for (std::size_t i = 0; i < files.size(); ++i) {
    const CliRun run = run_cli("pairs " + dir.file(files[i].first, files[i].second));
    EXPECT_EQ(run.exit_code, 1) << files[i].first;
    EXPECT_NE(run.err.find(files[i].first + ": "), std::string::npos) << run.err;
    EXPECT_NE(run.err.find(named[i]), std::string::npos) << run.err;
  }
  // A text that merely starts like one of them is still a text.
  const CliRun text = run_cli("pairs " + dir.file("bz.txt", "BZh is how the letters begin, and PAR1 too."));
  EXPECT_EQ(text.exit_code, 0) << text.err;
}

TEST(CliInputs, OneThreadGivesTheSameOutputs) {
  const std::string input = testing::have_dev_data() ? testing::dev_dir() + "/docs.jsonl" : testing::fixtures_dir() + "/seeds";
  for (const std::string command : {"pairs ", "cluster "}) {
    const CliRun all = run_cli(command + input + " -q");
    const CliRun one = run_cli(command + input + " -q --threads 1");
    ASSERT_EQ(all.exit_code, 0) << all.err;
    EXPECT_TRUE(all.out == one.out) << command;
  }
  testing::TempDir dir;
  EXPECT_EQ(dedup_outputs(input + " --threads 1", dir), dedup_outputs(input, dir));
  EXPECT_EQ(run_cli("pairs " + input + " --threads 2000").exit_code, 2);
}

TEST(CliInputs, NothingReadIsAnError) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.path("empty"));
  const CliRun folder = run_cli("dedup " + dir.path("empty") + " -o " + dir.path("kept.jsonl"));
  EXPECT_EQ(folder.exit_code, 1);
  EXPECT_NE(folder.err.find("no documents in " + dir.path("empty")), std::string::npos) << folder.err;
  EXPECT_FALSE(std::filesystem::exists(dir.path("kept.jsonl")));
  const CliRun file = run_cli("pairs " + dir.file("empty.jsonl", "\n  \n"));
  EXPECT_EQ(file.exit_code, 1);
  EXPECT_NE(file.err.find("no documents in"), std::string::npos) << file.err;
}

TEST(CliInputs, RejectedLinesAreCountedAndListed) {
  testing::TempDir dir;
  std::string bad;
  for (int i = 0; i < 30; ++i) bad += "{\"id\":\"r" + std::to_string(i) + "\",\"txt\":\"no text field\"}\n";
  bad += "not json\n";
  const std::string docs = dir.file("bad.jsonl", bad);
  const CliRun skip = run_cli("dedup " + docs + " --on-error skip -o " + dir.path("kept.jsonl"));
  EXPECT_EQ(skip.exit_code, 1);
  EXPECT_NE(skip.err.find("skipped: 11 more (--rejected FILE lists them all)"), std::string::npos) << skip.err;
  EXPECT_NE(skip.err.find("every document was rejected (31)"), std::string::npos) << skip.err;
  EXPECT_EQ(std::count(skip.err.begin(), skip.err.end(), '\n'), 22) << skip.err;

  const CliRun listed = run_cli("pairs " + docs + " --rejected " + dir.path("rejected.jsonl"));
  EXPECT_EQ(listed.exit_code, 1);
  const auto rejected = lines_of(testing::read_file(dir.path("rejected.jsonl")));
  ASSERT_EQ(rejected.size(), 31u);
  const auto first = nlohmann::json::parse(rejected[0]);
  EXPECT_EQ(first["file"], docs);
  EXPECT_EQ(first["line"], 1);
  EXPECT_EQ(first["raw"], "{\"id\":\"r0\",\"txt\":\"no text field\"}");
  EXPECT_NE(first["reason"].get<std::string>().find("no \"text\" field"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(rejected[30])["raw"], "not json");

  // Some good: exit 0, and kept + removed + rejected = read.
  dir.file("bad.jsonl", bad + "{\"id\":\"good\",\"text\":\"one good line\"}\n");
  const CliRun mixed = run_cli("dedup " + docs + " --rejected " + dir.path("rejected.jsonl") + " -o " + dir.path("kept.jsonl"));
  EXPECT_EQ(mixed.exit_code, 0) << mixed.err;
  EXPECT_NE(mixed.err.find("32 read = 1 kept + 0 removed + 31 rejected"), std::string::npos) << mixed.err;
  EXPECT_EQ(lines_of(testing::read_file(dir.path("rejected.jsonl"))).size(), 31u);
}

TEST(CliInputs, VersionHelpAndUnknownActions) {
  const CliRun version = run_cli("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("neardup ", 0), 0u) << version.out;
  EXPECT_NE(version.out.find('.'), std::string::npos) << version.out;
  const CliRun dedup_help = run_cli("dedup --help");
  EXPECT_EQ(dedup_help.exit_code, 0);
  EXPECT_NE(dedup_help.out.find("--threshold arg (=0.5)"), std::string::npos) << dedup_help.out;
  EXPECT_NE(dedup_help.out.find("--threads N (=0)"), std::string::npos) << dedup_help.out;
  EXPECT_NE(dedup_help.out.find("--text-field NAME (=text)"), std::string::npos) << dedup_help.out;
  EXPECT_EQ(dedup_help.out.find("--many"), std::string::npos) << "dedup finds no translations";
  EXPECT_NE(run_cli("pairs --help").out.find("--many"), std::string::npos);
  EXPECT_EQ(run_cli("report --help").out.find("--threads"), std::string::npos);
  testing::TempDir dir;
  const CliRun frob = run_cli("index frob " + dir.path("nowhere"));
  EXPECT_EQ(frob.exit_code, 2);
  EXPECT_NE(frob.err.find("unknown action 'frob'"), std::string::npos) << frob.err;
}

// Peak resident memory of a shell command and everything it ran, in KiB. Measured by a small
// Python process that starts it: a process forked from this test (holding the corpus) would
// count the test's own pages as the command's.
long peak_kib(const std::string& command) {
  testing::TempDir dir;
  const std::string script = dir.file("peak.py",
      "import resource, subprocess, sys\n"
      "status = subprocess.run(sys.argv[1], shell=True).returncode\n"
      "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if status == 0 else -1)\n");
  FILE* pipe = ::popen(("/usr/bin/python3 " + script + " '" + command + "'").c_str(), "r");
  long peak = -1;
  if (pipe == nullptr || std::fscanf(pipe, "%ld", &peak) != 1) peak = -1;
  if (pipe != nullptr) ::pclose(pipe);
  return peak;
}

// Standard input is spooled to a compressed temporary file, not held: piped in, a corpus costs
// about the memory of reading the file itself, and gives the same outputs.
TEST(CliInputs, StandardInputStreamsWithinTheMemoryOfAFile) {
  testing::TempDir dir;
  std::string bytes;
  std::uint64_t state = 42;
  const auto next = [&] { return state = state * 6364136223846793005ULL + 1442695040888963407ULL; };
  std::vector<std::string> texts;
  for (int d = 0; d < 40000; ++d) {  // about 40 MB of random words, every tenth a copy of an earlier one
    std::string text;
    if (d % 10 == 9) {
      text = texts[static_cast<std::size_t>(d - 5)];
    } else {
      for (int w = 0; w < 150; ++w) text += "w" + std::to_string(next() >> 52) + " ";
    }
    texts.push_back(text);
    bytes += "{\"id\":\"d" + std::to_string(d) + "\",\"text\":\"" + text + "\",\"url\":\"http://x/" + std::to_string(d) + "\"}\n";
  }
  const std::string docs = dir.file("big.jsonl", bytes);
  const std::string cli = NEARDUP_CLI_PATH;
  const long from_file = peak_kib(cli + " dedup " + docs + " -q -o " + dir.path("k1.jsonl") + " --removed " + dir.path("r1.jsonl"));
  const long from_pipe = peak_kib("cat " + docs + " | " + cli + " dedup - -q -o " + dir.path("k2.jsonl") + " --removed " + dir.path("r2.jsonl"));
  ASSERT_GT(from_file, 0);
  ASSERT_GT(from_pipe, 0);
  EXPECT_LE(static_cast<double>(from_pipe), 1.5 * static_cast<double>(from_file)) << from_pipe << " KiB piped, " << from_file << " KiB from the file";
  EXPECT_TRUE(testing::read_file(dir.path("k1.jsonl")) == testing::read_file(dir.path("k2.jsonl")));
  EXPECT_EQ(testing::read_file(dir.path("r1.jsonl")), testing::read_file(dir.path("r2.jsonl")));
  std::cout << "peak resident memory: " << from_file << " KiB reading the file, " << from_pipe << " KiB from a pipe ("
            << static_cast<double>(from_pipe) / static_cast<double>(from_file) << "x), input " << bytes.size() / 1024 << " KiB\n";
}

}  // namespace
}  // namespace neardup

// Readers: text files, folders, JSON Lines and standard input, on good and bad input.
#include <gtest/gtest.h>

#include "support/corpus.hpp"
#include "support/temp_dir.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include "ingest/utf8.hpp"
#include "neardup/error.hpp"
#include "neardup/ingest.hpp"

namespace neardup {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

std::string bad_fixture(const std::string& name) { return std::string(NEARDUP_FIXTURES_DIR "/bad/") + name; }

ReadResult read(const std::vector<std::string>& paths, OnError on_error) {
  ReadOptions options;
  options.on_error = on_error;
  return read_inputs(paths, options);
}

// Byte offset of the start of 1-based line `line` in `bytes`.
std::uint64_t line_start(std::string_view bytes, std::uint64_t line) {
  std::size_t at = 0;
  for (std::uint64_t n = 1; n < line; ++n) at = bytes.find('\n', at) + 1;
  return at;
}

// A fresh folder under the system's temporary folder, removed with its contents at the end.

// --- the error message format ---

TEST(IngestError, MessageNamesFileLineOrOffset) {
  const InputError with_line("docs.jsonl", 12, 345, "malformed JSON");
  EXPECT_STREQ(with_line.what(), "docs.jsonl:12: malformed JSON");
  EXPECT_EQ(with_line.code(), ErrorCode::bad_input);
  EXPECT_EQ(with_line.file(), "docs.jsonl");
  EXPECT_EQ(with_line.line(), 12u);
  EXPECT_EQ(with_line.byte_offset(), 345u);
  EXPECT_EQ(with_line.problem(), "malformed JSON");
  EXPECT_STREQ(InputError("page.txt", 0, 1234, "invalid UTF-8").what(), "page.txt: byte 1234: invalid UTF-8");
  EXPECT_STREQ(InputError("page.txt", 0, 0, "empty document").what(), "page.txt: empty document");
  EXPECT_STREQ(InputError("-", 3, 40, "bad").what(), "<stdin>:3: bad");
}

// --- good input ---

TEST(IngestSeeds, FolderGivesOneDocumentPerFileInPathOrder) {
  const std::string folder = NEARDUP_FIXTURES_DIR "/seeds";
  const ReadResult read_result = read({folder}, OnError::fail);
  const std::vector<std::string> expected_ids = {"000_f88dc246bdc33cdf", "001_05db9d16e02c2170",
                                                 "002_b08cd47993b18163", "003_87bc539730efcb5b",
                                                 "004_df53f37349722e31"};
  ASSERT_EQ(read_result.documents.size(), expected_ids.size());
  EXPECT_TRUE(read_result.rejected.empty());
  for (std::size_t i = 0; i < expected_ids.size(); ++i) {
    const Document& document = read_result.documents[i];
    const fs::path file = fs::path(folder) / (expected_ids[i] + ".txt");
    EXPECT_EQ(document.id, expected_ids[i]);
    EXPECT_EQ(document.text, testing::read_file(file));
    EXPECT_EQ(document.source, file.string());
    EXPECT_EQ(document.line, 0u);
    EXPECT_TRUE(document.lang.empty());
    EXPECT_TRUE(document.extra.empty());
  }
}

TEST(IngestSeeds, SingleFileKeepsThePathAsGiven) {
  const std::string file = NEARDUP_FIXTURES_DIR "/seeds/002_b08cd47993b18163.txt";
  const ReadResult read_result = read({file, file}, OnError::skip);
  ASSERT_EQ(read_result.documents.size(), 1u);
  EXPECT_EQ(read_result.documents[0].source, file);
  ASSERT_EQ(read_result.rejected.size(), 1u);  // the same file twice: the same id twice
  EXPECT_NE(read_result.rejected[0].reason.find("duplicate id \"002_b08cd47993b18163\""), std::string::npos);
}

TEST(IngestNtrex, ReadsEveryDocumentWithUniqueIds) {
  const std::string file = NEARDUP_SHARED_DIR "/data/ntrex-dev/docs.jsonl";
  if (!fs::exists(file)) GTEST_SKIP() << file << " is not there";
  const ReadResult read_result = read({file}, OnError::fail);
  ASSERT_EQ(read_result.documents.size(), 1054u);
  EXPECT_TRUE(read_result.rejected.empty());
  std::set<std::string> ids;
  std::uint64_t previous_line = 0;
  for (const Document& document : read_result.documents) {
    ids.insert(document.id);
    EXPECT_GT(document.line, previous_line);
    previous_line = document.line;
    EXPECT_TRUE(detail::is_valid_utf8(document.text));
    EXPECT_EQ(document.source, file);
    EXPECT_TRUE(document.extra.empty());
  }
  EXPECT_EQ(ids.size(), 1054u);
  EXPECT_EQ(read_result.documents[0].id, "bbc.381790.eng");
  EXPECT_EQ(read_result.documents[0].line, 1u);
  EXPECT_TRUE(read_result.documents[0].text.starts_with("Welsh AMs worried about 'looking like muppets'\n"));
}

TEST(IngestJsonl, KeepsExtraFieldsInOrderAndTakesIntegerIds) {
  TempDir dir;
  const std::string file = dir.file(
      "news.jsonl",
      "{\"id\": 42, \"url\": \"https://example.org/a\", \"text\": \"Die Br\\u00fccke wurde 1890 er\\u00f6ffnet.\", "
      "\"lang\": \"de\", \"tags\": [\"history\", \"bridges\"], \"score\": 0.5}\r\n"
      "  \t \r\n"
      "\n"
      "{\"id\": -7, \"text\": \"The bridge opened in 1890.\", \"lang\": null}\r\n"
      "{\"text\": \"Le pont a \u00e9t\u00e9 inaugur\u00e9 en 1890.\", \"id\": \"fr-1\", \"lang\": \"fr\"}\n"
      "{\"id\": \"x\", \"text\": \"El puente se inaugur\u00f3 en 1890.\", \"lang\": \"\"}");
  const ReadResult read_result = read({file}, OnError::fail);
  ASSERT_EQ(read_result.documents.size(), 4u);
  const Document& german = read_result.documents[0];
  EXPECT_EQ(german.id, "42");
  EXPECT_EQ(german.text, "Die Br\u00fccke wurde 1890 er\u00f6ffnet.");
  EXPECT_EQ(german.lang, "de");
  EXPECT_EQ(german.extra, R"({"url":"https://example.org/a","tags":["history","bridges"],"score":0.5})");
  EXPECT_EQ(german.line, 1u);
  const Document& english = read_result.documents[1];
  EXPECT_EQ(english.id, "-7");
  EXPECT_EQ(english.lang, "");
  EXPECT_EQ(english.extra, R"({"lang":null})");  // no language, but a field to write back
  EXPECT_EQ(english.line, 4u);  // blank lines count
  const Document& french = read_result.documents[2];
  EXPECT_EQ(french.id, "fr-1");
  EXPECT_EQ(french.text, "Le pont a \u00e9t\u00e9 inaugur\u00e9 en 1890.");
  EXPECT_EQ(french.line, 5u);
  EXPECT_EQ(french.source, file);
  const Document& spanish = read_result.documents[3];  // an empty language is no language either
  EXPECT_EQ(spanish.lang, "");
  EXPECT_EQ(spanish.extra, R"({"lang":""})");
}

TEST(IngestJsonl, MixedFileCountsEveryLineOnce) {
  TempDir dir;
  const std::vector<std::string> lines = {
      R"({"id": "m1", "text": "Rain is expected in the afternoon."})",
      R"({"id": "m2", "text": 17})",
      R"({"id": "m3", "text": "Snow is expected at night.", "lang": 3})",
      R"(["m4", "Fog in the morning."])",
      R"({"id": 1.5, "text": "Wind from the west."})",
      R"({"id": "", "text": "Sun on Sunday."})",
      R"({"text": "Hail on Monday."})",
      R"({"id": "m1", "text": "Rain again on Tuesday."})",
      R"({"id": "m9", "text": "Clear skies on Wednesday."})",
      R"({"id": "m10", "text": "A lone surrogate \ud800 is not text."})",
  };
  std::string contents;
  for (const std::string& line : lines) contents += line + "\n\n";
  const std::string file = dir.file("mixed.jsonl", contents);

  const ReadResult read_result = read({file}, OnError::skip);
  EXPECT_EQ(read_result.documents.size() + read_result.rejected.size(), lines.size());
  ASSERT_EQ(read_result.documents.size(), 2u);
  EXPECT_EQ(read_result.documents[0].id, "m1");
  EXPECT_EQ(read_result.documents[1].id, "m9");
  EXPECT_EQ(read_result.documents[1].line, 17u);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"m2", "\"text\" is a number, not a string"},
      {"m3", "\"lang\" is a number, not a string"},
      {"", "the line is an array, not an object"},
      {"", "\"id\" is a number, not a string or integer"},
      {"", "\"id\" is empty"},
      {"", "no \"id\" field"},
      {"m1", "duplicate id \"m1\" (first used at " + file + ":1)"},
      {"", "malformed JSON"},
  };
  ASSERT_EQ(read_result.rejected.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const Rejected& rejected = read_result.rejected[i];
    EXPECT_EQ(rejected.id, expected[i].first) << rejected.reason;
    EXPECT_NE(rejected.reason.find(expected[i].second), std::string::npos) << rejected.reason;
    EXPECT_EQ(rejected.source, file);
  }
  EXPECT_EQ(read_result.rejected.front().line, 3u);
  EXPECT_EQ(read_result.rejected.back().line, 19u);
}

TEST(IngestJsonl, LinesAcrossBufferRefillsKeepNumbersAndOffsets) {
  // Lines far longer than one read block, and many short ones, so that lines straddle block
  // boundaries and the buffer has to grow.
  TempDir dir;
  std::string contents;
  std::vector<std::string> texts;
  std::mt19937 random(7);
  for (int i = 0; i < 3000; ++i) {
    const std::size_t length = i % 1000 == 500 ? 2'500'000 : 20 + random() % 400;
    std::string text(length, 'a');
    for (std::size_t k = 0; k < length; k += 7) text[k] = static_cast<char>('a' + k % 26);
    texts.push_back(text);
    contents += "{\"id\": " + std::to_string(i) + ", \"text\": \"" + text + "\"}\n";
  }
  const std::uint64_t last_start = contents.size();
  contents += "{\"id\": \"tail\", \"text\": ";  // cut short, as by a full disk
  const std::string file = dir.file("long.jsonl", contents);

  try {
    read({file}, OnError::fail);
    FAIL() << "the truncated last line was accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.line(), 3001u);
    EXPECT_EQ(error.byte_offset(), last_start);
  }
  const ReadResult read_result = read({file}, OnError::skip);
  ASSERT_EQ(read_result.documents.size(), texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    ASSERT_EQ(read_result.documents[i].text, texts[i]) << "line " << i + 1;
    ASSERT_EQ(read_result.documents[i].line, i + 1);
  }
  ASSERT_EQ(read_result.rejected.size(), 1u);
  EXPECT_EQ(read_result.rejected[0].line, 3001u);
}

TEST(IngestJsonl, ParseErrorQuotesNoMoreThanAShortPieceOfTheLine) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 3000; ++i) text += "नमस्ते ";  // Devanagari, 3-byte characters
  const std::string file = dir.file("open.jsonl", "{\"id\": \"h1\", \"text\": \"" + text + "\n");
  const ReadResult read_result = read({file}, OnError::skip);
  ASSERT_EQ(read_result.rejected.size(), 1u);
  const std::string& reason = read_result.rejected[0].reason;
  EXPECT_NE(reason.find("malformed JSON"), std::string::npos) << reason;
  EXPECT_LT(reason.size(), 400u);
  EXPECT_TRUE(detail::is_valid_utf8(reason));
}

// Found by fuzz_jsonl_reader: nlohmann throws out_of_range, not parse_error, for a number beyond
// a double, and it escaped the reader (std::terminate).
TEST(IngestJsonl, NumberBeyondADoubleIsABadLineNotACrash) {
  TempDir dir;
  const std::string file = dir.file("huge.jsonl",
                                    "{\"id\": \"a\", \"text\": \"one\"}\n"
                                    "{\"id\": \"b\", \"text\": \"two\", \"views\": 333E333}\n"
                                    "333E333\n"
                                    "{\"id\": \"c\", \"text\": \"three\"}\n");
  const ReadResult skipped = read({file}, OnError::skip);
  ASSERT_EQ(skipped.documents.size(), 2u);
  EXPECT_EQ(skipped.documents[1].id, "c");
  ASSERT_EQ(skipped.rejected.size(), 2u);
  EXPECT_EQ(skipped.rejected[0].line, 2u);
  EXPECT_EQ(skipped.rejected[1].line, 3u);
  EXPECT_NE(skipped.rejected[0].reason.find("too large for a double"), std::string::npos) << skipped.rejected[0].reason;
  try {
    read({file}, OnError::fail);
    ADD_FAILURE() << "fail mode read a line with 333E333";
  } catch (const InputError& error) {
    EXPECT_EQ(error.line(), 2u);
  }
}

TEST(IngestBom, Utf8MarkIsDropped) {
  const std::string file = bad_fixture("utf8_bom.txt");
  const ReadResult read_result = read({file}, OnError::fail);
  ASSERT_EQ(read_result.documents.size(), 1u);
  EXPECT_EQ(read_result.documents[0].id, "utf8_bom");
  EXPECT_EQ(read_result.documents[0].text, testing::read_file(file).substr(3));
  EXPECT_TRUE(read_result.documents[0].text.starts_with("Bonjour"));

  TempDir dir;
  const std::string jsonl =
      dir.file("bom.jsonl", "\xEF\xBB\xBF{\"id\": \"b1\", \"text\": \"Ett tv\u00e5 tre.\"}\n{\"id\": \"b2\", \"text\": 2}\n");
  const ReadResult jsonl_result = read({jsonl}, OnError::skip);
  ASSERT_EQ(jsonl_result.documents.size(), 1u);
  EXPECT_EQ(jsonl_result.documents[0].text, "Ett tv\u00e5 tre.");
  try {
    read({jsonl}, OnError::fail);
    FAIL() << "line 2 was accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.line(), 2u);
    EXPECT_EQ(error.byte_offset(), testing::read_file(jsonl).find('\n') + 1);
  }
}

TEST(IngestEncoding, Utf16WithoutMarkIsRecognised) {
  TempDir dir;
  const std::u16string text = u"Guten Morgen, wie geht es Ihnen heute?\n";
  std::string bytes;
  for (const char16_t unit : text) {
    bytes += static_cast<char>(unit & 0xFF);
    bytes += static_cast<char>(unit >> 8);
  }
  const std::string file = dir.file("morgen.txt", bytes);
  try {
    read({file}, OnError::fail);
    FAIL() << "a UTF-16 file was accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.file(), file);
    EXPECT_NE(error.problem().find("UTF-16LE"), std::string::npos) << error.what();
    EXPECT_NE(error.problem().find("iconv -f UTF-16LE -t UTF-8"), std::string::npos) << error.what();
  }
}

// --- the bad fixtures, each in both modes ---

struct BadCase {
  std::string file;
  std::uint64_t line;    // where the bad document is
  std::uint64_t offset;  // for whole-file problems (line 0)
  std::string id;        // as recorded in Rejected
  std::string reason;    // a part of the reason
  std::size_t good;      // documents read beside the bad one
};

class IngestBadFixture : public ::testing::TestWithParam<BadCase> {};

TEST_P(IngestBadFixture, FailModeThrowsWhereTheProblemIs) {
  const BadCase& bad = GetParam();
  const std::string file = bad_fixture(bad.file);
  try {
    read({file}, OnError::fail);
    FAIL() << bad.file << " was accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.file(), file);
    EXPECT_EQ(error.line(), bad.line);
    EXPECT_EQ(error.byte_offset(), bad.line > 0 ? line_start(testing::read_file(file), bad.line) : bad.offset);
    const std::string what = error.what();
    EXPECT_TRUE(what.starts_with(file)) << what;
    if (bad.line > 0) {
      EXPECT_NE(what.find(bad.file + ":" + std::to_string(bad.line) + ": "), std::string::npos) << what;
    } else if (bad.offset > 0) {
      EXPECT_NE(what.find(": byte " + std::to_string(bad.offset) + ": "), std::string::npos) << what;
    }
    EXPECT_NE(what.find(bad.reason), std::string::npos) << what;
    EXPECT_NE(what.find("--on-error skip"), std::string::npos) << what;
  }
}

TEST_P(IngestBadFixture, SkipModeKeepsTheGoodDocuments) {
  const BadCase& bad = GetParam();
  const std::string file = bad_fixture(bad.file);
  const ReadResult read_result = read({file}, OnError::skip);
  EXPECT_EQ(read_result.documents.size(), bad.good);
  ASSERT_EQ(read_result.rejected.size(), 1u);
  const Rejected& rejected = read_result.rejected[0];
  EXPECT_EQ(rejected.source, file);
  EXPECT_EQ(rejected.line, bad.line);
  EXPECT_EQ(rejected.id, bad.id);
  EXPECT_NE(rejected.reason.find(bad.reason), std::string::npos) << rejected.reason;
  for (const Document& document : read_result.documents) {
    EXPECT_EQ(document.source, file);
    EXPECT_FALSE(document.text.empty());
    EXPECT_TRUE(detail::is_valid_utf8(document.text));
  }
  if (bad.file.ends_with(".jsonl")) {
    std::istringstream lines(testing::read_file(file));
    std::size_t nonblank = 0;
    for (std::string line; std::getline(lines, line);) nonblank += line.empty() ? 0 : 1;
    EXPECT_EQ(read_result.documents.size() + read_result.rejected.size(), nonblank);
  }
}

const BadCase bad_cases[] = {
    {"latin1.txt", 0, 3, "latin1", "invalid UTF-8 (byte 0xE9); re-encode the file as UTF-8", 0},
    {"empty.txt", 0, 0, "empty", "empty document", 0},
    {"blank.txt", 0, 0, "blank", "empty document", 0},
    {"binary.txt", 0, 0, "", "the input is a zip archive", 0},
    {"utf16le_bom.txt", 0, 0, "utf16le_bom", "UTF-16LE (it starts with a byte order mark), not UTF-8; convert it first: iconv -f UTF-16 -t UTF-8", 0},
    {"cp1252_line.jsonl", 3, 0, "", "invalid UTF-8 at byte 37 of the line (0x92)", 2},
    {"malformed.jsonl", 2, 0, "", "malformed JSON", 2},
    {"truncated.jsonl", 3, 0, "", "malformed JSON", 2},
    {"missing_text.jsonl", 2, 0, "mt-2", "no \"text\" field", 1},
    {"text_not_string.jsonl", 1, 0, "tn-1", "\"text\" is an array, not a string", 1},
    {"duplicate_ids.jsonl", 3, 0, "dup-1", "duplicate id \"dup-1\"", 2},
    {"empty_text.jsonl", 2, 0, "et-2", "empty document", 1},
};

INSTANTIATE_TEST_SUITE_P(Ingest, IngestBadFixture, ::testing::ValuesIn(bad_cases),
                         [](const ::testing::TestParamInfo<BadCase>& case_info) {
                           std::string name = case_info.param.file;
                           std::replace(name.begin(), name.end(), '.', '_');
                           return name;
                         });

TEST(IngestBadFixtures, DuplicateKeepsTheFirstDocument) {
  const ReadResult read_result = read({bad_fixture("duplicate_ids.jsonl")}, OnError::skip);
  ASSERT_EQ(read_result.documents.size(), 2u);
  EXPECT_EQ(read_result.documents[0].id, "dup-1");
  EXPECT_EQ(read_result.documents[0].text, "A storm closed schools across the region.");
}

TEST(IngestBadFixtures, WholeFolderInBothModes) {
  const std::string folder = NEARDUP_FIXTURES_DIR "/bad";
  const ReadResult read_result = read({folder}, OnError::skip);
  std::size_t good = 1;  // utf8_bom.txt
  for (const BadCase& bad : bad_cases) good += bad.good;
  EXPECT_EQ(read_result.documents.size(), good);
  ASSERT_EQ(read_result.rejected.size(), std::size(bad_cases));
  EXPECT_TRUE(std::is_sorted(read_result.rejected.begin(), read_result.rejected.end(),
                             [](const Rejected& a, const Rejected& b) { return a.source < b.source; }));
  try {
    read({folder}, OnError::fail);
    FAIL() << "the bad folder was accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.file(), (fs::path(folder) / "binary.txt").string());  // first in path order
  }
}

// --- folders and paths ---

TEST(IngestFolder, SkipsHiddenFilesAndSymlinkedFoldersAndSortsByPath) {
  TempDir dir;
  dir.file("a/b.txt", "Das Wetter ist heute sch\u00f6n.");
  dir.file("a.txt", "Il fait beau aujourd'hui.");
  dir.file("z.txt", "Hoy hace buen tiempo.");
  dir.file(".hidden.txt", "Hidden notes.");
  dir.file(".git/config.txt", "Not a document.");
  fs::create_directory_symlink(dir.path(), dir.path() / "loop");
  fs::create_symlink(dir.path() / "z.txt", dir.path() / "y.txt");

  const ReadResult read_result = read({dir.path().string()}, OnError::fail);
  std::vector<std::string> ids;
  for (const Document& document : read_result.documents) ids.push_back(document.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"b", "a", "y", "z"}));
  EXPECT_EQ(read_result.documents[0].source, (dir.path() / "a" / "b.txt").string());
  EXPECT_EQ(read_result.documents[2].text, "Hoy hace buen tiempo.");
}

TEST(IngestFolder, SameFileNameInTwoFoldersIsADuplicateId) {
  TempDir dir;
  dir.file("2023/report.txt", "Sales grew by four percent.");
  dir.file("2024/report.txt", "Sales grew by six percent.");
  const ReadResult read_result = read({dir.path().string()}, OnError::skip);
  ASSERT_EQ(read_result.documents.size(), 1u);
  ASSERT_EQ(read_result.rejected.size(), 1u);
  EXPECT_EQ(read_result.rejected[0].source, (dir.path() / "2024" / "report.txt").string());
  EXPECT_NE(read_result.rejected[0].reason.find((dir.path() / "2023" / "report.txt").string()), std::string::npos);
}

TEST(IngestPaths, MissingPathIsAnIoErrorInBothModes) {
  for (const OnError mode : {OnError::fail, OnError::skip}) {
    try {
      read({NEARDUP_FIXTURES_DIR "/seeds", "/nonexistent/corpus.jsonl"}, mode);
      FAIL() << "a missing path was accepted";
    } catch (const InputError&) {
      FAIL() << "a missing path is not bad input";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ErrorCode::io);
      EXPECT_STREQ(error.what(), "/nonexistent/corpus.jsonl: no such file or folder");
    }
  }
}

// --- standard input ---

class StdinFrom {
 public:
  explicit StdinFrom(std::string bytes) : buffer_(std::move(bytes)), saved_(std::cin.rdbuf(&buffer_)) {}
  ~StdinFrom() { std::cin.rdbuf(saved_); }
  StdinFrom(const StdinFrom&) = delete;
  StdinFrom& operator=(const StdinFrom&) = delete;

 private:
  std::stringbuf buffer_;
  std::streambuf* saved_;
};

TEST(IngestStdin, JsonLinesWhenTheFirstByteIsABrace) {
  StdinFrom in("\n  {\"id\": \"s1\", \"text\": \"Piped in.\"}\n{\"id\": \"s2\", \"text\": \"\"}\n");
  const ReadResult read_result = read({"-"}, OnError::skip);
  ASSERT_EQ(read_result.documents.size(), 1u);
  EXPECT_EQ(read_result.documents[0].id, "s1");
  EXPECT_EQ(read_result.documents[0].source, "-");
  EXPECT_EQ(read_result.documents[0].line, 2u);
  ASSERT_EQ(read_result.rejected.size(), 1u);
  EXPECT_EQ(read_result.rejected[0].line, 3u);
}

TEST(IngestStdin, OtherwiseOneTextDocument) {
  const std::string text = "Ein Text von der Standardeingabe.\n{not json}\n";
  StdinFrom in(text);
  const ReadResult read_result = read({"-"}, OnError::fail);
  ASSERT_EQ(read_result.documents.size(), 1u);
  EXPECT_EQ(read_result.documents[0].id, "stdin");
  EXPECT_EQ(read_result.documents[0].text, text);
  EXPECT_EQ(read_result.documents[0].source, "-");
}

TEST(IngestStdin, BadInputNamesStandardInput) {
  StdinFrom in("{\"id\": \"s1\", \"text\": \"ok\"}\n{\"id\": \"s1\", \"text\": \"again\"}\n");
  try {
    read({"-"}, OnError::fail);
    FAIL() << "a duplicate id was accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.file(), "-");
    EXPECT_EQ(error.line(), 2u);
    EXPECT_TRUE(std::string_view(error.what()).starts_with("<stdin>:2: duplicate id")) << error.what();
  }
}

// --- UTF-8 checks against a slow reference ---

// Decodes each sequence and checks the code point's range: slow, and plainly Table 3-7.
std::size_t reference_find_invalid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 1;
    char32_t c = lead;
    if (lead >= 0x80) {
      if ((lead & 0xE0) == 0xC0) {
        length = 2;
        c = lead & 0x1Fu;
      } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        c = lead & 0x0Fu;
      } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        c = lead & 0x07u;
      } else {
        return i;
      }
      if (i + length > text.size()) return i;
      for (std::size_t k = 1; k < length; ++k) {
        const auto next = static_cast<unsigned char>(text[i + k]);
        if ((next & 0xC0) != 0x80) return i;
        c = (c << 6) | (next & 0x3Fu);
      }
      const char32_t smallest = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
      if (c < smallest || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return i;
    }
    i += length;
  }
  return text.size();
}

TEST(IngestUtf8, KnownSequences) {
  using detail::find_invalid_utf8;
  EXPECT_EQ(find_invalid_utf8(""), 0u);
  EXPECT_EQ(find_invalid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"), 14u);  // é € 😀: valid
  EXPECT_EQ(find_invalid_utf8("ab\xC0\x80"), 2u);                                  // overlong NUL
  EXPECT_EQ(find_invalid_utf8("ab\xE0\x9F\xBF"), 2u);                              // overlong 3-byte
  EXPECT_EQ(find_invalid_utf8("ab\xED\xA0\x80"), 2u);                              // surrogate
  EXPECT_EQ(find_invalid_utf8("ab\xF4\x90\x80\x80"), 2u);                          // above U+10FFFF
  EXPECT_EQ(find_invalid_utf8("0123456789abcdefghij\xE2\x82"), 20u);               // cut short at the end
  EXPECT_EQ(find_invalid_utf8("0123456789abcdefghij\x80xyz"), 20u);                // stray continuation
}

TEST(IngestUtf8, AgreesWithTheReferenceOnRandomBytes) {
  std::mt19937 random(12345);
  const std::vector<std::string> pieces = {"a",        "hello world, ", "\xC3\xA9",        "\xE0\xA4\xB9",
                                           "\xF0\x9F\x98\x80", "\xED\x9F\xBF", "\xEF\xBF\xBF", "\xF4\x8F\xBF\xBF"};
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const int count = static_cast<int>(random() % 40);
    for (int k = 0; k < count; ++k) {
      if (random() % 8 == 0) {
        text += static_cast<char>(random() % 256);
      } else {
        text += pieces[random() % pieces.size()];
      }
    }
    ASSERT_EQ(detail::find_invalid_utf8(text), reference_find_invalid_utf8(text)) << ::testing::PrintToString(text);
  }
}

TEST(IngestUtf8, BlankMeansOnlyWhiteSpace) {
  EXPECT_TRUE(detail::is_blank(""));
  EXPECT_TRUE(detail::is_blank(" \t\r\n\v\f"));
  EXPECT_TRUE(detail::is_blank("\u00a0\u3000\u2003\u200b\ufeff\u2028"));
  EXPECT_FALSE(detail::is_blank("  .  "));
  EXPECT_FALSE(detail::is_blank("\u00a0\u0905"));  // a Devanagari letter
  EXPECT_FALSE(detail::is_blank("\xF0\x9F\x98\x80"));
}

}  // namespace
}  // namespace neardup

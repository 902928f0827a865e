// The lighter work of the second pass of streaming dedup gives what the full work gives:
// prepare_shingles() the exact hash and word shingles of prepare(), read_text_again() the text
// of read_again().
#include <gtest/gtest.h>

#include <string>
#include <unordered_set>
#include <vector>

#include "ingest/read.hpp"
#include "neardup/error.hpp"
#include "shingle/features.hpp"
#include "support/compress.hpp"
#include "support/corpus.hpp"
#include "support/temp_dir.hpp"

namespace neardup {
namespace {

// Over a whole corpus, so that its boilerplate is left out of the shingles as in a run.
void expect_shingles_as_prepare(const std::vector<Document>& documents) {
  std::vector<std::vector<detail::NormalisedLine>> lines;
  for (const auto& document : documents) lines.push_back(detail::normalised_lines(document.text));
  const std::unordered_set<std::uint64_t> boilerplate = detail::find_boilerplate(lines);
  std::uint32_t boilerplate_lines = 0;
  for (std::size_t d = 0; d < documents.size(); ++d) {
    const Document& document = documents[d];
    const detail::PreparedDocument full = detail::prepare(document, lines[d], boilerplate, 3);
    const detail::PreparedDocument shingles = detail::prepare_shingles(document.text, lines[d], boilerplate, 3);
    EXPECT_EQ(shingles.exact_hash, full.exact_hash) << document.id;
    EXPECT_EQ(shingles.word_shingles, full.word_shingles) << document.id;
    EXPECT_EQ(shingles.content_words, full.content_words) << document.id;
    EXPECT_EQ(shingles.boilerplate_lines, full.boilerplate_lines) << document.id;
    EXPECT_EQ(shingles.title.begin, full.title.begin) << document.id;
    EXPECT_EQ(shingles.title.end, full.title.end) << document.id;

    const detail::PreparedDocument within_language = detail::prepare(document, lines[d], boilerplate, 3, false);
    EXPECT_TRUE(within_language.sentences.empty()) << document.id;
    EXPECT_EQ(within_language.lang, full.lang) << document.id;
    EXPECT_EQ(within_language.script, full.script) << document.id;
    EXPECT_EQ(within_language.script_share, full.script_share) << document.id;
    EXPECT_EQ(within_language.exact_hash, full.exact_hash) << document.id;
    EXPECT_EQ(within_language.word_shingles, full.word_shingles) << document.id;
    EXPECT_EQ(within_language.content_words, full.content_words) << document.id;
    boilerplate_lines += full.boilerplate_lines;
  }
  EXPECT_GT(boilerplate_lines, 0u) << "a corpus without boilerplate does not test leaving it out";
}

TEST(PrepareShingles, SameAsPrepareOnTheDevCorpus) {
  if (!testing::have_dev_data()) GTEST_SKIP() << "no dev data at " << testing::dev_dir();
  expect_shingles_as_prepare(read_inputs({testing::dev_dir() + "/docs.jsonl"}, {}).documents);
}

TEST(PrepareShingles, SameAsPrepareOnTheSeeds) {
  auto documents = testing::seeds();
  // Seeds share no lines: a recurring menu line makes some boilerplate to leave out.
  for (std::size_t d = 0; d < 3; ++d) documents[d].text = "Related Articles\n" + documents[d].text;
  expect_shingles_as_prepare(documents);
}

struct Streamed {
  detail::StreamedInputs inputs;
  std::vector<Document> documents;
  std::vector<detail::DocumentLocation> locations;
};

Streamed stream(const std::vector<std::string>& paths) {
  Streamed streamed;
  streamed.inputs = detail::stream_inputs(paths, {}, [&](Document&& document, const detail::DocumentLocation& location) {
    streamed.documents.push_back(std::move(document));
    streamed.locations.push_back(location);
  });
  return streamed;
}

// Every document's text, read again from its file and from standard input as held.
void expect_texts_read_again(const Streamed& streamed) {
  ASSERT_FALSE(streamed.documents.empty());
  for (std::size_t d = 0; d < streamed.documents.size(); ++d) {
    const auto& location = streamed.locations[d];
    EXPECT_EQ(detail::read_text_again(streamed.inputs, location), streamed.documents[d].text) << streamed.documents[d].id;
    EXPECT_EQ(detail::read_text_again(streamed.inputs, location), detail::read_again(streamed.inputs, location).text);
  }
}

// The same file as a stream that cannot be read at an offset (standard input, gzip, zstd): its
// documents are read again from the spool, with the same texts and lines.
void expect_read_again_from_streams(const Streamed& streamed, const std::string& path) {
  testing::TempDir dir;
  const std::string bytes = testing::read_file(path);
  const Streamed from_stdin = testing::with_stdin_from(path, [] { return stream({"-"}); });
  const Streamed from_gzip = stream({dir.file("copy.jsonl.gz", testing::gzip(bytes))});
  const Streamed from_zstd = stream({dir.file("copy.zst", testing::zstd(bytes))});  // JSON Lines by its first byte
  for (const Streamed* other : {&from_stdin, &from_gzip, &from_zstd}) {
    ASSERT_EQ(other->documents.size(), streamed.documents.size());
    ASSERT_TRUE(other->inputs.spooled.at(0));
    for (std::size_t d = 0; d < streamed.documents.size(); ++d) {
      EXPECT_EQ(detail::read_text_again(other->inputs, other->locations[d]), streamed.documents[d].text) << streamed.documents[d].id;
      EXPECT_EQ(detail::read_again(other->inputs, other->locations[d]).original_line,
                detail::read_again(streamed.inputs, streamed.locations[d]).original_line);
    }
  }
}

TEST(ReadTextAgain, SameAsTheFullReaderOnTheDevCorpus) {
  if (!testing::have_dev_data()) GTEST_SKIP() << "no dev data at " << testing::dev_dir();
  const std::string path = testing::dev_dir() + "/docs.jsonl";
  const Streamed streamed = stream({path});
  EXPECT_EQ(streamed.documents.size(), 1054u);
  expect_texts_read_again(streamed);
  expect_read_again_from_streams(streamed, path);
}

TEST(ReadTextAgain, EscapesFieldOrderAndNestedFields) {
  testing::TempDir dir;
  const std::string path = dir.file("docs.jsonl",
      "\xEF\xBB\xBF{\"id\":\"bom\",\"text\":\"after a byte order mark\"}\n"
      "{\"id\":\"escapes\",\"text\":\"one\\ntwo \\\"quoted\\\" \\\\ \\/ \\t\\r\\b\\f caf\\u00e9 \\u0928\\u092e \\ud83d\\ude00 end\\\\\"}\n"
      "{\"text\":\"text first\",\"lang\":\"en\",\"id\":\"order\"}\n"
      "{\"id\":\"nested\",\"meta\":{\"text\":\"not this\",\"list\":[{\"text\":1},\"text\",[[]]]},\"tags\":[\"text\"],\"text\":\"the text\"}\n"
      "{\"id\":7,\"n\":-1.5e3,\"big\":18446744073709551615,\"yes\":true,\"no\":false,\"none\":null,\"empty\":{},\"text\":\"after scalars\"}\n"
      "{\"id\":\"key\",\"te\\u0078t\":\"under an escaped key\"}\n"
      "{\"id\":\"twice\",\"text\":\"first\",\"text\":\"last\"}\n"
      "{\"id\":\"crlf\",\"text\":\"before a carriage return\",\"lang\":null}\r\n"
      "  {\"id\":\"spaces\" ,  \"text\" :  \"  spaced out  \"  }  \n"
      "{\"id\":\"raw\",\"text\":\"UTF-8 as is: নমস্কার, 😀\"}");
  const Streamed streamed = stream({path});
  ASSERT_EQ(streamed.documents.size(), 10u);
  EXPECT_EQ(streamed.documents[1].text, "one\ntwo \"quoted\" \\ / \t\r\b\f caf\xC3\xA9 \xE0\xA4\xA8\xE0\xA4\xAE \xF0\x9F\x98\x80 end\\");
  EXPECT_EQ(streamed.documents[5].text, "under an escaped key");
  expect_texts_read_again(streamed);
  expect_read_again_from_streams(streamed, path);
}

TEST(ReadTextAgain, WholeFilesAreReadAgainWhole) {
  expect_texts_read_again(stream({testing::fixtures_dir() + "/seeds"}));
}

// A line that no longer reads as a document (the file changed between the passes) is an
// error, as read_again makes it, not a text made up.
TEST(ReadTextAgain, ThrowsWhenTheLineIsNoLongerADocument) {
  testing::TempDir dir;
  const std::string line = "{\"id\":\"a\",\"text\":\"some words\"}\n";
  const std::string path = dir.file("docs.jsonl", line);
  const Streamed streamed = stream({path});
  ASSERT_EQ(streamed.documents.size(), 1u);
  for (const std::string changed : {"[\"id\",\"a\",\"text\",\"some words\"]", "{\"id\":\"a\",\"text\":17}",
                                    "{\"id\":\"a\",\"text\":\"some words\",\"text\":null}", "{\"id\":\"a\",\"text\":\"  \"}",
                                    "{\"id\":\"a\",\"txt\":\"some words\"}", "{\"id\":\"a\",\"text\":\"some words\"", "{\"id\":\"a\",\"text\":\"\\ud83d\"}",
                                    "{\"id\":\"a\",\"text\":\"some words\"} trailing"}) {
    dir.file("docs.jsonl", changed + "\n");
    EXPECT_THROW(detail::read_text_again(streamed.inputs, streamed.locations[0]), Error) << changed;
  }
  dir.file("docs.jsonl", "");
  EXPECT_THROW(detail::read_text_again(streamed.inputs, streamed.locations[0]), Error);
}

}  // namespace
}  // namespace neardup

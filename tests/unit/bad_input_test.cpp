// Hostile and odd input at the library level: encodings, binary and non-text files, huge
// documents, documents without letters, unreadable paths and symlink loops. The table in
// docs/bad_input.md names these tests; tests/unit/ingest_test.cpp holds the rest.
#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include "ingest/read.hpp"
#include "ingest/utf8.hpp"
#include "neardup/error.hpp"
#include "neardup/ingest.hpp"
#include "neardup/pipeline.hpp"

namespace neardup {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

ReadResult read(const std::vector<std::string>& paths, OnError on_error) {
  ReadOptions options;
  options.on_error = on_error;
  return read_inputs(paths, options);
}


// The problem text of the one rejection when reading `path` alone in skip mode, after checking
// that fail mode throws an InputError with the same problem.
std::string only_rejection(const std::string& path) {
  const ReadResult skipped = read({path}, OnError::skip);
  EXPECT_TRUE(skipped.documents.empty());
  if (skipped.rejected.size() != 1) {
    ADD_FAILURE() << skipped.rejected.size() << " rejections of " << path;
    return {};
  }
  try {
    read({path}, OnError::fail);
    ADD_FAILURE() << path << " was accepted in fail mode";
  } catch (const InputError& error) {
    EXPECT_NE(error.problem().find(skipped.rejected[0].reason), std::string::npos) << error.what();
  }
  return skipped.rejected[0].reason;
}

std::string utf16(std::u16string_view text, bool big_endian) {
  std::string bytes;
  for (const char16_t unit : text) {
    const char high = static_cast<char>(unit >> 8);
    const char low = static_cast<char>(unit & 0xFF);
    bytes += big_endian ? high : low;
    bytes += big_endian ? low : high;
  }
  return bytes;
}

std::string utf32le(std::u32string_view text) {
  std::string bytes;
  for (const char32_t unit : text)
    for (int shift = 0; shift < 32; shift += 8) bytes += static_cast<char>((unit >> shift) & 0xFF);
  return bytes;
}

// --- encodings ---

TEST(BadInputEncoding, Utf16BigEndianWithAndWithoutMark) {
  TempDir dir;
  const std::u16string text = u"Guten Morgen, wie geht es Ihnen heute?\n";
  EXPECT_NE(only_rejection(dir.file("marked.txt", "\xFE\xFF" + utf16(text, true))).find("UTF-16BE (it starts with a byte order mark)"),
            std::string::npos);
  EXPECT_NE(only_rejection(dir.file("bare.txt", utf16(text, true))).find("looks like UTF-16BE (many NUL bytes)"), std::string::npos);
}

TEST(BadInputEncoding, Utf32WithAndWithoutMark) {
  TempDir dir;
  const std::u32string text = U"Bonne nuit et \u00e0 demain.\n";
  const std::string marked = only_rejection(dir.file("marked.txt", std::string("\xFF\xFE\0\0", 4) + utf32le(text)));
  EXPECT_NE(marked.find("UTF-32LE (it starts with a byte order mark)"), std::string::npos) << marked;
  EXPECT_NE(marked.find("iconv -f UTF-32 -t UTF-8"), std::string::npos) << marked;
  const std::string bare = only_rejection(dir.file("bare.txt", utf32le(text)));
  EXPECT_NE(bare.find("looks like UTF-32LE"), std::string::npos) << bare;
}

TEST(BadInputEncoding, Utf16JsonLinesFileIsRejectedWhole) {
  TempDir dir;
  const std::string file =
      dir.file("docs.jsonl", "\xFF\xFE" + utf16(u"{\"id\": \"a\", \"text\": \"Hallo\"}\n{\"id\": \"b\", \"text\": \"Welt\"}\n", false));
  const ReadResult skipped = read({file}, OnError::skip);
  EXPECT_TRUE(skipped.documents.empty());
  ASSERT_EQ(skipped.rejected.size(), 1u);
  EXPECT_EQ(skipped.rejected[0].line, 0u);
  EXPECT_NE(skipped.rejected[0].reason.find("UTF-16LE"), std::string::npos);
}

// --- binary and non-text files ---

TEST(BadInputBinary, ImageAndArchiveHeadersAreNotText) {
  TempDir dir;
  // NUL bytes in every position: binary, not UTF-16 or UTF-32, however many there are.
  const std::string zeros = only_rejection(dir.file("zeros.bin", std::string(64, '\0') + "\x01\x02\x03\x04" + std::string(64, '\0')));
  EXPECT_NE(zeros.find("binary data"), std::string::npos) << zeros;
  const std::string png = only_rejection(dir.file("picture.png", std::string("\x89PNG\r\n\x1A\n\0\0\0\x0DIHDR", 16)));
  EXPECT_NE(png.find("binary data (a NUL byte)"), std::string::npos) << png;
  std::string compressed("\x1F\x8B\x08\0", 4);  // a gzip header, then bytes as varied as compressed data
  for (int i = 0; i < 512; ++i) compressed += static_cast<char>((i * 37 + 11) % 256);
  const std::string gzip = only_rejection(dir.file("corpus.jsonl.gz", compressed));
  EXPECT_NE(gzip.find("the gzip data is damaged"), std::string::npos) << gzip;
  // Without a NUL byte, a binary file is still not UTF-8.
  const std::string pdf = only_rejection(dir.file("paper.pdf", "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n"));
  EXPECT_NE(pdf.find("invalid UTF-8"), std::string::npos) << pdf;
}

TEST(BadInputBinary, EndlessDeviceIsReadOnlyUpToTheLimit) {
  if (!fs::exists("/dev/zero")) GTEST_SKIP() << "no /dev/zero";
  // Were it read to the end, this would never return.
  const std::string reason = only_rejection("/dev/zero");
  EXPECT_NE(reason.find("binary data"), std::string::npos) << reason;
}

TEST(BadInputBinary, EscapedNulInJsonIsText) {
  // A NUL written as \u0000 is a deliberate character of a JSON string, not a binary file.
  const ReadResult read_result = detail::read_jsonl_buffer(R"({"id": "n", "text": "before \u0000 after"})", "nul.jsonl", {});
  ASSERT_EQ(read_result.documents.size(), 1u);
  EXPECT_EQ(read_result.documents[0].text, std::string("before \0 after", 14));
  const Analysis analysis = analyse(read_result.documents);
  EXPECT_EQ(analysis.documents.size(), 1u);
}

// --- documents without letters ---

TEST(BadInputNoLetters, AcceptedWithoutFeaturesAndKeptByDedup) {
  const std::string jsonl =
      "{\"id\": \"punct\", \"text\": \"!!! ... ??? --- ***\"}\n"
      "{\"id\": \"emoji\", \"text\": \"\xF0\x9F\x98\x80\xF0\x9F\x8E\x89 \xF0\x9F\x91\x8D\"}\n"
      "{\"id\": \"emoji-again\", \"text\": \"\xF0\x9F\x98\x80\xF0\x9F\x8E\x89 \xF0\x9F\x91\x8D\"}\n"
      "{\"id\": \"marks\", \"text\": \"\xE0\xA4\x82\xE0\xA5\x8D \xE2\x80\x8D\"}\n"
      "{\"id\": \"words\", \"text\": \"The river rose overnight and closed two bridges.\"}\n";
  ReadResult read_result = detail::read_jsonl_buffer(jsonl, "symbols.jsonl", {});
  ASSERT_EQ(read_result.documents.size(), 5u);
  EXPECT_TRUE(read_result.rejected.empty());
  const Analysis analysis = analyse(std::move(read_result.documents));
  ASSERT_EQ(analysis.info.size(), 5u);
  // Identical texts are still exact duplicates of each other; nothing else pairs with them.
  for (const Pair& pair : analysis.pairs)
    EXPECT_EQ(pair.relation, Relation::exact_duplicate) << analysis.documents[pair.a].id << " " << analysis.documents[pair.b].id;
  const DedupResult dedup = deduplicate(analysis, KeepPolicy::first);
  EXPECT_EQ(dedup.kept.size() + dedup.removed.size(), 5u);
  std::vector<std::string> kept;
  for (const std::uint32_t index : dedup.kept) kept.push_back(analysis.documents[index].id);
  for (const std::string id : {"punct", "emoji", "marks", "words"})
    EXPECT_NE(std::find(kept.begin(), kept.end(), id), kept.end()) << id << " was not kept";
  EXPECT_EQ(cluster_stories(analysis).size(), dedup.kept.size());
}

// --- huge documents ---

// A text of `size` bytes of three-byte Devanagari letters and spaces, so that a cut at a fixed
// byte count is likely to fall inside a character.
std::string devanagari_text(std::size_t size) {
  std::string text;
  text.reserve(size);
  const std::string_view word = "\xE0\xA4\xA8\xE0\xA4\xA6\xE0\xA5\x80 ";  // नदी
  while (text.size() + word.size() <= size) text += word;
  text.append(size - text.size(), 'a');
  return text;
}

TEST(BadInputHuge, TextFileIsCutAtTheLimitWithAWarning) {
  TempDir dir;
  const std::string file = dir.file("huge.txt", "\xEF\xBB\xBF" + devanagari_text(detail::max_document_bytes + 1001));
  const ReadResult read_result = read({file}, OnError::fail);
  ASSERT_EQ(read_result.documents.size(), 1u);
  const std::string& text = read_result.documents[0].text;
  EXPECT_LE(text.size(), detail::max_document_bytes);
  EXPECT_GT(text.size(), detail::max_document_bytes - 4);
  EXPECT_TRUE(detail::is_valid_utf8(text));
  ASSERT_EQ(read_result.warnings.size(), 1u);
  EXPECT_EQ(read_result.warnings[0].source, file);
  EXPECT_EQ(read_result.warnings[0].id, "huge");
  EXPECT_NE(read_result.warnings[0].message.find("longer than 64 MiB"), std::string::npos);
}

TEST(BadInputHuge, JsonLineTextIsCutAtTheLimitWithAWarning) {
  const std::string line = "{\"id\": \"h\", \"text\": \"" + devanagari_text(detail::max_document_bytes + 2) + "\"}\n"
                           "{\"id\": \"small\", \"text\": \"A short one.\"}\n";
  const ReadResult read_result = detail::read_jsonl_buffer(line, "huge.jsonl", {});
  ASSERT_EQ(read_result.documents.size(), 2u);
  EXPECT_LE(read_result.documents[0].text.size(), detail::max_document_bytes);
  EXPECT_TRUE(detail::is_valid_utf8(read_result.documents[0].text));
  ASSERT_EQ(read_result.warnings.size(), 1u);
  EXPECT_EQ(read_result.warnings[0].line, 1u);
  EXPECT_EQ(read_result.warnings[0].id, "h");
}

TEST(BadInputHuge, DocumentAtTheLimitIsWhole) {
  TempDir dir;
  const std::string text = devanagari_text(detail::max_document_bytes);
  const ReadResult read_result = read({dir.file("exact.txt", text)}, OnError::fail);
  ASSERT_EQ(read_result.documents.size(), 1u);
  EXPECT_EQ(read_result.documents[0].text.size(), text.size());
  EXPECT_TRUE(read_result.warnings.empty());
}

// --- paths that cannot be read ---

TEST(BadInputPaths, ReadErrorIsAnIoErrorNotAnEmptyDocument) {
  // Reading /proc/self/mem from offset 0 fails with EIO: a file that opens but cannot be read.
  if (!fs::exists("/proc/self/mem")) GTEST_SKIP() << "no /proc";
  for (const OnError mode : {OnError::fail, OnError::skip}) {
    try {
      read({"/proc/self/mem"}, mode);
      FAIL() << "an unreadable file was accepted";
    } catch (const InputError& error) {
      FAIL() << "an unreadable file is not bad input: " << error.what();
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ErrorCode::io);
      EXPECT_STREQ(error.what(), "/proc/self/mem: cannot read: Input/output error");
    }
  }
}

TEST(BadInputPaths, UnreadableFileInAFolderIsRejectedInSkipMode) {
  TempDir dir;
  dir.file("a.txt", "Das Wetter ist heute sch\u00f6n.");
  fs::create_symlink("/proc/self/mem", dir.path() / "b.txt");
  const ReadResult skipped = read({dir.path().string()}, OnError::skip);
  ASSERT_EQ(skipped.documents.size(), 1u);
  ASSERT_EQ(skipped.rejected.size(), 1u);
  EXPECT_EQ(skipped.rejected[0].source, (dir.path() / "b.txt").string());
  EXPECT_NE(skipped.rejected[0].reason.find("cannot read"), std::string::npos) << skipped.rejected[0].reason;
  EXPECT_THROW(read({dir.path().string()}, OnError::fail), Error);
}

TEST(BadInputPaths, FileWithoutReadPermission) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads any file";
  TempDir dir;
  const std::string file = dir.file("secret.txt", "Nobody may read this.");
  fs::permissions(file, fs::perms::none);
  try {
    read({file}, OnError::skip);
    FAIL() << "an unreadable file was accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::io);
    EXPECT_EQ(std::string(error.what()), file + ": cannot open: Permission denied");
  }
  dir.file("other.txt", "Anyone may read this.");
  const ReadResult skipped = read({dir.path().string()}, OnError::skip);
  EXPECT_EQ(skipped.documents.size(), 1u);
  EXPECT_EQ(skipped.rejected.size(), 1u);
}

TEST(BadInputPaths, SymlinkLoopNamedIsAnIoError) {
  TempDir dir;
  fs::create_symlink(dir.path() / "b.txt", dir.path() / "a.txt");
  fs::create_symlink(dir.path() / "a.txt", dir.path() / "b.txt");
  try {
    read({(dir.path() / "a.txt").string()}, OnError::skip);
    FAIL() << "a symlink loop was accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::io);
    EXPECT_NE(std::string(error.what()).find("Too many levels of symbolic links"), std::string::npos) << error.what();
  }
}

TEST(BadInputPaths, SymlinkLoopAndDanglingLinkInAFolderAreRejected) {
  TempDir dir;
  dir.file("good.txt", "Il fait beau aujourd'hui.");
  fs::create_symlink(dir.path() / "loop_b.txt", dir.path() / "loop_a.txt");
  fs::create_symlink(dir.path() / "loop_a.txt", dir.path() / "loop_b.txt");
  fs::create_symlink(dir.path() / "gone.txt", dir.path() / "dangling.txt");
  fs::create_directory_symlink(dir.path(), dir.path() / "up");  // not followed: it leads back up
  const ReadResult skipped = read({dir.path().string()}, OnError::skip);
  ASSERT_EQ(skipped.documents.size(), 1u);
  ASSERT_EQ(skipped.rejected.size(), 3u);
  EXPECT_EQ(skipped.rejected[0].source, (dir.path() / "dangling.txt").string());
  EXPECT_NE(skipped.rejected[1].reason.find("cannot follow the symbolic link: Too many levels of symbolic links"), std::string::npos)
      << skipped.rejected[1].reason;
  try {
    read({dir.path().string()}, OnError::fail);
    FAIL() << "a dangling link was passed over";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::io);
    EXPECT_EQ(std::string(error.what()).find((dir.path() / "dangling.txt").string()), 0u) << error.what();
  }
}

}  // namespace
}  // namespace neardup

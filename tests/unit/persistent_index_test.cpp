#include "neardup/persistent_index.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "base/flat_map.hpp"
#include "neardup/evaluate.hpp"
#include "store/index_file.hpp"
#include "support/corpus.hpp"

namespace {
namespace fs = std::filesystem;
using neardup::ErrorCode;
using neardup::IndexSpec;
using neardup::PersistentIndex;
using neardup::Relation;

const std::string seeds = std::string(NEARDUP_FIXTURES_DIR) + "/seeds/";
const std::string seed000 = "000_f88dc246bdc33cdf", seed001 = "001_05db9d16e02c2170", seed002 = "002_b08cd47993b18163",
                  seed003 = "003_87bc539730efcb5b", seed004 = "004_df53f37349722e31";

std::string read_all(const std::string& path) { return std::string(neardup::detail::MappedFile(path).data()); }

void write_all(const std::string& path, std::string_view bytes) {
  // A new file rather than a truncated one: ext4 flushes a truncated file on close (auto_da_alloc),
  // which would make the truncation tests slow.
  fs::remove(path);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string seed(const std::string& name) { return read_all(seeds + name + ".txt"); }

// A fresh folder under the test temp dir, removed at the end of the test.
class TempFolder {
 public:
  TempFolder() {
    static std::atomic<int> counter{0};
    path_ = fs::path(testing::TempDir()) / ("neardup_index_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempFolder() { fs::remove_all(path_); }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

bool has(const std::vector<neardup::Match>& matches, const std::string& id, Relation relation) {
  return std::any_of(matches.begin(), matches.end(), [&](const auto& m) { return m.id == id && m.relation == relation; });
}

// Seed 003 with its last paragraph replaced: a near copy.
std::string near_copy_of_003() {
  std::string text = seed(seed003);
  const std::size_t cut = text.rfind('\n', text.size() - 2);
  return text.substr(0, cut) + "\nयह खबर बाद में अपडेट की गई।\n";
}

template <typename Body>
ErrorCode error_code_of(Body&& body) {
  try {
    body();
  } catch (const neardup::Error& error) {
    return error.code();
  }
  ADD_FAILURE() << "no error thrown";
  return ErrorCode::usage;
}

TEST(PersistentIndexSpec, RoundTripsThroughItsString) {
  IndexSpec spec;
  EXPECT_EQ(IndexSpec::parse(spec.to_string()), spec);
  spec.word_shingle = 5;
  spec.near_duplicate_threshold = 0.7125;
  spec.minhash.k = 64;
  spec.minhash.seed = 0xdeadbeefULL;
  spec.minhash.scheme = neardup::MinHashScheme::classic;
  EXPECT_EQ(IndexSpec::parse(spec.to_string()), spec);
  EXPECT_EQ(IndexSpec::parse("threshold=0.8").near_duplicate_threshold, 0.8);
  EXPECT_EQ(error_code_of([] { IndexSpec::parse("colour=blue"); }), ErrorCode::usage);
  EXPECT_EQ(error_code_of([] { IndexSpec::parse("minhash_k=12x"); }), ErrorCode::usage);
}

TEST(PersistentIndexSpec, ADifferentSpecIsATypedErrorNamingBoth) {
  TempFolder folder;
  { auto index = PersistentIndex::open(folder / "index", {}); }
  IndexSpec other;
  other.near_duplicate_threshold = 0.6;
  try {
    auto index = PersistentIndex::open(folder / "index", other);
    FAIL() << "opened with another spec";
  } catch (const neardup::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::incompatible_index);
    EXPECT_NE(std::string(error.what()).find("threshold=0.5"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("threshold=0.6"), std::string::npos) << error.what();
  }
  EXPECT_EQ(PersistentIndex::open_existing(folder / "index").spec(), IndexSpec{});
}

TEST(PersistentIndexMatching, FindsCopiesNearCopiesAndTranslationsAfterReopening) {
  TempFolder folder;
  {
    auto index = PersistentIndex::open(folder / "index", {});
    for (const auto& name : {seed000, seed001, seed002, seed003}) index.add(name, seed(name));
  }
  for (int round = 0; round < 2; ++round) {
    auto index = PersistentIndex::open(folder / "index", {});
    EXPECT_EQ(index.stats().documents, 4u);
    const auto exact = index.query(seed(seed002));
    ASSERT_FALSE(exact.empty());
    EXPECT_EQ(exact.front().id, seed002);
    EXPECT_EQ(exact.front().relation, Relation::exact_duplicate);
    const auto near = index.query(near_copy_of_003());
    EXPECT_TRUE(has(near, seed003, Relation::near_duplicate));
    EXPECT_FALSE(has(near, seed002, Relation::near_duplicate));
    const auto translation = index.query(seed(seed004));
    EXPECT_TRUE(has(translation, seed001, Relation::translation));
    EXPECT_EQ(translation.size(), 1u);
    index.checkpoint();  // the second round reads the snapshot instead of the log
  }
}

TEST(PersistentIndexMatching, AddIfNewSkipsWhatItHasSeenAndRemoveForgets) {
  TempFolder folder;
  auto index = PersistentIndex::open(folder / "index", {});
  EXPECT_TRUE(index.add_if_new(seed003, seed(seed003)).added);
  const auto again = index.add_if_new("copy", near_copy_of_003());
  EXPECT_FALSE(again.added);
  EXPECT_TRUE(has(again.matches, seed003, Relation::near_duplicate));
  EXPECT_TRUE(index.add_if_new(seed001, seed(seed001)).added);
  const auto translation = index.add_if_new(seed004, seed(seed004));
  EXPECT_TRUE(translation.added);  // translations are new pages unless skip_translations
  EXPECT_TRUE(has(translation.matches, seed001, Relation::translation));
  EXPECT_TRUE(index.remove(seed003));
  EXPECT_FALSE(index.remove(seed003));
  EXPECT_TRUE(index.add_if_new("copy", near_copy_of_003()).added);
  index.checkpoint();
  EXPECT_FALSE(index.contains(seed003));
  EXPECT_TRUE(index.contains("copy"));
  EXPECT_EQ(index.stats().documents, 3u);
  EXPECT_EQ(error_code_of([&] { index.add("", "text"); }), ErrorCode::bad_input);
  EXPECT_EQ(error_code_of([&] { index.add("x", std::string("\xff\xfe", 2)); }), ErrorCode::bad_input);
}

TEST(PersistentIndexMatching, AddIfNewOfAnIndexedIdWithAnotherTextIsAConflict) {
  TempFolder folder;
  auto index = PersistentIndex::open(folder / "index", {});
  EXPECT_TRUE(index.add_if_new(seed003, seed(seed003)).added);
  // Re-crawled unchanged: not added again, and the match names the page itself.
  const auto unchanged = index.add_if_new(seed003, seed(seed003));
  EXPECT_FALSE(unchanged.added);
  EXPECT_TRUE(has(unchanged.matches, seed003, Relation::exact_duplicate));
  // Changed (here to a near copy of itself, which is what an edited page is): the caller decides.
  try {
    index.add_if_new(seed003, near_copy_of_003());
    ADD_FAILURE() << "no error for a changed text";
  } catch (const neardup::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::id_conflict);
    EXPECT_NE(std::string(error.what()).find("add()"), std::string::npos) << error.what();
  }
  EXPECT_EQ(error_code_of([&] { index.add_if_new(seed003, seed(seed002)); }), ErrorCode::id_conflict);
  index.add(seed003, near_copy_of_003());  // the fix the message names
  EXPECT_TRUE(has(index.query(near_copy_of_003()), seed003, Relation::exact_duplicate));
  EXPECT_EQ(index.stats().documents, 1u);
}

TEST(PersistentIndexMatching, CopiesAreTheDuplicatesOfQueryWithoutTheTranslations) {
  TempFolder folder;
  auto index = PersistentIndex::open(folder / "index", {});
  index.add(seed001, seed(seed001));
  index.add(seed003, seed(seed003));
  EXPECT_TRUE(has(index.query(seed(seed004)), seed001, Relation::translation));
  EXPECT_TRUE(index.copies(seed(seed004)).empty());
  const auto near = index.copies(near_copy_of_003());
  ASSERT_EQ(near.size(), 1u);
  EXPECT_EQ(near.front().id, seed003);
  EXPECT_EQ(near.front().relation, Relation::near_duplicate);
  const auto query = index.query(near_copy_of_003());
  EXPECT_TRUE(has(query, seed003, Relation::near_duplicate));
  EXPECT_EQ(index.copies(seed(seed001)).front().relation, Relation::exact_duplicate);
}

TEST(PersistentIndexFile, ASecondOpenInTheSameProcessSaysSo) {
  TempFolder folder;
  auto first = std::make_optional(PersistentIndex::open(folder / "index", {}));
  try {
    PersistentIndex::open_existing(folder / "index");
    ADD_FAILURE() << "the second open succeeded";
  } catch (const neardup::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::io);
    EXPECT_NE(std::string(error.what()).find("already open in this process"), std::string::npos) << error.what();
  }
  // Moving the index keeps it open and locked; destroying it lets the next open in.
  PersistentIndex moved = std::move(*first);
  first.reset();
  EXPECT_EQ(error_code_of([&] { PersistentIndex::open_existing(folder / "index"); }), ErrorCode::io);
  { PersistentIndex gone = std::move(moved); }
  auto again = PersistentIndex::open_existing(folder / "index");
  EXPECT_EQ(again.stats().documents, 0u);
}

// A small index: a snapshot with two documents and a log with three records after it.
struct SmallIndex {
  std::string snapshot, log;
};

SmallIndex make_small_index(const TempFolder& folder) {
  {
    auto index = PersistentIndex::open(folder / "small", {});
    index.add("a", "Kim Jong Un meets Putin in Vladivostok.");
    index.add("b", "पुतिन से मिलने रूस जाएंगे किम जोंग उन");
    index.checkpoint();
    index.add("c", "North Korea sends shells to Russia, 2023.");
    index.remove("a");
    index.add("d", "रूस यूक्रेन युद्ध");
  }
  return {read_all(folder / "small/snapshot"), read_all(folder / "small/log")};
}

// Opens the folder and checks: either a typed error, or an index whose documents are a prefix
// of the log's (b always, then c, a removed, d).
void open_damaged(const std::string& path, bool allow_success, const std::string& what) {
  try {
    auto index = PersistentIndex::open(path, {});
    EXPECT_TRUE(allow_success) << what << ": damage not noticed";
    EXPECT_TRUE(index.contains("b")) << what;
    if (index.contains("d")) {
      EXPECT_TRUE(index.contains("c") && !index.contains("a")) << what;
    }
  } catch (const neardup::Error& error) {
    const ErrorCode code = error.code();
    EXPECT_TRUE(code == ErrorCode::corrupt_index || code == ErrorCode::newer_format || code == ErrorCode::incompatible_index)
        << what << ": " << error.what();
  }
}

TEST(PersistentIndexFile, EveryTruncationDropsTheTornTailOrIsATypedError) {
  TempFolder folder;
  const SmallIndex small = make_small_index(folder);
  const std::string path = folder / "damaged";
  fs::create_directories(path);
  for (std::size_t length = 0; length <= small.log.size(); ++length) {
    write_all(path + "/snapshot", small.snapshot);
    write_all(path + "/log", std::string_view(small.log).substr(0, length));
    open_damaged(path, true, "log cut to " + std::to_string(length));
  }
  for (std::size_t length = 0; length < small.snapshot.size(); ++length) {
    write_all(path + "/snapshot", std::string_view(small.snapshot).substr(0, length));
    write_all(path + "/log", small.log);
    open_damaged(path, false, "snapshot cut to " + std::to_string(length));
  }
}

TEST(PersistentIndexFile, ByteFlipsAreNoticedOrHarmless) {
  TempFolder folder;
  const SmallIndex small = make_small_index(folder);
  const std::string path = folder / "damaged";
  fs::create_directories(path);
  std::mt19937 random(7);
  for (const bool in_log : {false, true}) {
    const std::string& original = in_log ? small.log : small.snapshot;
    for (std::size_t at = 0; at < original.size(); at += 1 + random() % 5) {
      std::string flipped = original;
      flipped[at] = static_cast<char>(flipped[at] ^ (1 << (random() % 8)));
      write_all(path + "/snapshot", in_log ? small.snapshot : flipped);
      write_all(path + "/log", in_log ? flipped : small.log);
      // A flip in the log's last record can only make it look torn; anywhere else it must be seen.
      open_damaged(path, in_log, std::string(in_log ? "log" : "snapshot") + " flipped at " + std::to_string(at));
      if (!in_log) {
        EXPECT_EQ(read_all(path + "/snapshot"), flipped) << "a failed open changed the snapshot";
        EXPECT_EQ(read_all(path + "/log"), small.log) << "a failed open changed the log";
      }
    }
  }
}

TEST(PersistentIndexFile, NewerFormatsAndForeignFilesAreRefusedUntouched) {
  TempFolder folder;
  const SmallIndex small = make_small_index(folder);
  const std::string path = folder / "small";
  std::string newer = small.snapshot;
  newer[8] = 2;  // format version, little-endian u32 after the magic
  write_all(path + "/snapshot", newer);
  try {
    auto index = PersistentIndex::open(path, {});
    FAIL() << "a newer format was opened";
  } catch (const neardup::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::newer_format);
    EXPECT_NE(std::string(error.what()).find("newer"), std::string::npos) << error.what();
  }
  EXPECT_EQ(read_all(path + "/snapshot"), newer);
  EXPECT_EQ(read_all(path + "/log"), small.log);

  write_all(path + "/snapshot", "not an index at all");
  EXPECT_EQ(error_code_of([&] { PersistentIndex::open(path, {}); }), ErrorCode::corrupt_index);
  write_all(folder / "notes.txt", "user data");
  EXPECT_EQ(error_code_of([&] { PersistentIndex::open(folder.operator/(""), {}); }), ErrorCode::usage);
  EXPECT_EQ(read_all(folder / "notes.txt"), "user data");
}

TEST(PersistentIndexFile, ChangedTransliterationIsATypedError) {
  TempFolder folder;
  const SmallIndex small = make_small_index(folder);
  neardup::detail::FileHeader header;
  const std::size_t header_size = neardup::detail::decode_header(small.snapshot, "snapshot", header);
  ASSERT_FALSE(header.samples.empty());
  header.samples[0].pivot += "x";
  header.icu_version = "1.0";
  write_all(folder / "small/snapshot", neardup::detail::encode_header(header) + small.snapshot.substr(header_size));
  try {
    auto index = PersistentIndex::open(folder / "small", {});
    FAIL() << "opened despite another transliteration";
  } catch (const neardup::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::incompatible_index);
    EXPECT_NE(std::string(error.what()).find("transliteration changed: ICU 1.0 vs"), std::string::npos) << error.what();
  }
}

TEST(PersistentIndexFile, ALogAlreadyFoldedIntoTheSnapshotIsIgnored) {
  TempFolder folder;
  const SmallIndex small = make_small_index(folder);
  {
    auto index = PersistentIndex::open(folder / "small", {});
    index.checkpoint();
  }
  // As if the checkpoint had stopped after renaming the snapshot: the old log is still there.
  write_all(folder / "small/log", small.log);
  const std::string folded_snapshot = read_all(folder / "small/snapshot");
  {
    // Read-only, it is reported and left as it is.
    neardup::IndexOptions read_only;
    read_only.read_only = true;
    auto index = PersistentIndex::open_existing(folder / "small", read_only);
    EXPECT_EQ(index.stats().documents, 3u);
    EXPECT_TRUE(index.stats().recovery.stale_log);
    EXPECT_EQ(read_all(folder / "small/log"), small.log);
    EXPECT_EQ(read_all(folder / "small/snapshot"), folded_snapshot);
  }
  auto index = PersistentIndex::open(folder / "small", {});
  EXPECT_EQ(index.stats().documents, 3u);
  EXPECT_FALSE(index.contains("a"));
  EXPECT_TRUE(index.contains("d"));
  EXPECT_TRUE(index.stats().recovery.stale_log);
  EXPECT_NE(index.stats().recovery.describe().find("already in the snapshot"), std::string::npos) << index.stats().recovery.describe();
}

// Opens path (writable unless read_only) and returns what it says it recovered; the files
// must be as they were, since opening only reads.
neardup::Recovery recovery_on_open(const std::string& path, bool read_only) {
  const std::string log_before = read_all(path + "/log");
  neardup::IndexOptions options;
  options.read_only = read_only;
  auto index = PersistentIndex::open_existing(path, options);
  EXPECT_EQ(read_all(path + "/log"), log_before) << "opening wrote the log";
  EXPECT_TRUE(index.contains("b") && index.contains("c") && !index.contains("a"));
  return index.stats().recovery;
}

TEST(PersistentIndexFile, WhateverFollowsTheLastWholeRecordIsOneTornEndAndIsReported) {
  TempFolder folder;
  const SmallIndex small = make_small_index(folder);
  const std::string path = folder / "small";
  // The start of the log's last record (d's add): where the torn end of its append begins.
  auto last_record_start = [&] {
    neardup::detail::FileHeader header;
    const std::size_t start = neardup::detail::decode_header(small.log, "log", header);
    return neardup::detail::scan_records(small.log, start, "log", false).records.back().offset;
  }();
  struct Damage {
    std::string what, log;
    std::uint64_t torn_offset;
  };
  std::vector<Damage> damages;
  std::mt19937 random(11);
  for (std::size_t extra : {1, 5, 9, 10, 60, 99}) {
    std::string garbage;
    for (std::size_t i = 0; i < extra; ++i) garbage.push_back(static_cast<char>(random()));
    damages.push_back({std::to_string(extra) + " garbage bytes appended", small.log + garbage, small.log.size()});
    damages.push_back({std::to_string(extra) + " zero bytes appended", small.log + std::string(extra, '\0'), small.log.size()});
  }
  for (std::size_t cut = last_record_start + 1; cut < small.log.size(); cut += 7)
    damages.push_back({"cut at " + std::to_string(cut), small.log.substr(0, cut), last_record_start});
  for (std::size_t at = last_record_start; at < small.log.size(); at += 3) {
    std::string flipped = small.log;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x10);
    damages.push_back({"byte flipped at " + std::to_string(at), flipped, last_record_start});
  }
  for (const auto& damage : damages) {
    for (const bool read_only : {true, false}) {
      write_all(path + "/log", damage.log);
      const neardup::Recovery recovery = recovery_on_open(path, read_only);
      EXPECT_EQ(recovery.torn_offset, damage.torn_offset) << damage.what;
      EXPECT_EQ(recovery.torn_bytes, damage.log.size() - damage.torn_offset) << damage.what;
      EXPECT_NE(recovery.describe().find("torn end"), std::string::npos) << damage.what;
    }
  }
  // The next write cuts the torn end away: the log is whole again, and a reopen finds nothing.
  write_all(path + "/log", small.log + "garbage after the last record");
  {
    auto index = PersistentIndex::open_existing(path);
    index.add("e", "A fifth text, written after the torn end.");
  }
  auto index = PersistentIndex::open_existing(path);
  EXPECT_TRUE(index.contains("e") && index.contains("d"));
  EXPECT_TRUE(index.stats().recovery.empty()) << index.stats().recovery.describe();
}

TEST(PersistentIndexFile, DamageWithAWholeRecordAfterItIsCorruptionNotATornEnd) {
  TempFolder folder;
  const SmallIndex small = make_small_index(folder);
  const std::string path = folder / "small";
  neardup::detail::FileHeader header;
  const std::size_t start = neardup::detail::decode_header(small.log, "log", header);
  const auto records = neardup::detail::scan_records(small.log, start, "log", false).records;
  ASSERT_EQ(records.size(), 3u);
  for (const std::size_t at : {records[0].offset, records[0].offset + 5, records[1].offset + 12, records[2].offset - 1}) {
    std::string flipped = small.log;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x04);
    write_all(path + "/log", flipped);
    EXPECT_EQ(error_code_of([&] { PersistentIndex::open_existing(path); }), ErrorCode::corrupt_index) << "flip at " << at;
    EXPECT_EQ(read_all(path + "/log"), flipped);
  }
}

TEST(PersistentIndexFile, ReadOnlyOpensShareTheIndexAndChangeNothing) {
  TempFolder folder;
  const SmallIndex small = make_small_index(folder);
  const std::string path = folder / "small";
  neardup::IndexOptions read_only;
  read_only.read_only = true;
  EXPECT_EQ(error_code_of([&] { PersistentIndex::open_existing(folder / "absent", read_only); }), ErrorCode::io);
  EXPECT_EQ(error_code_of([&] { PersistentIndex::open(folder / "absent", {}, read_only); }), ErrorCode::io);
  EXPECT_FALSE(fs::exists(folder / "absent")) << "a read-only open created the folder";
  write_all(path + "/snapshot.tmp", "what a killed checkpoint left");
  // A writer in another process (forked before the reader opens, so that it shares none of this
  // process's bookkeeping) is refused while the reader has the index.
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ::fork();
  if (child == 0) {
    char byte = 0;
    if (::read(ready[0], &byte, 1) != 1) ::_exit(5);
    try {
      auto writer = PersistentIndex::open_existing(path);
      ::_exit(0);
    } catch (const neardup::Error& error) {
      const bool says_why = std::string(error.what()).find("in another process") != std::string::npos;
      ::_exit(error.code() == ErrorCode::io && says_why ? 3 : 4);
    }
  }
  {
    auto index = PersistentIndex::open_existing(path, read_only);
    auto another_reader = [&] {
      // Read-only opens share the lock: a reader in another process is let in.
      return ::system(("'" + std::string(NEARDUP_CLI_PATH) + "' index info '" + path + "' > /dev/null").c_str());
    };
    EXPECT_EQ(another_reader(), 0);
    ASSERT_EQ(::write(ready[1], "x", 1), 1);
    int status = 0;
    ::waitpid(child, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 3) << "a writer opened the index beside a reader (status " << status << ")";
    EXPECT_FALSE(index.query("पुतिन से मिलने रूस जाएंगे किम जोंग उन").empty());
    EXPECT_EQ(error_code_of([&] { index.add("e", "Another text."); }), ErrorCode::usage);
    EXPECT_EQ(error_code_of([&] { index.remove("b"); }), ErrorCode::usage);
    EXPECT_EQ(error_code_of([&] { index.checkpoint(); }), ErrorCode::usage);
    EXPECT_EQ(error_code_of([&] { index.flush(); }), ErrorCode::usage);
    EXPECT_TRUE(index.stats().recovery.empty());
  }
  ::close(ready[0]);
  ::close(ready[1]);
  EXPECT_EQ(read_all(path + "/snapshot"), small.snapshot);
  EXPECT_EQ(read_all(path + "/log"), small.log);
  EXPECT_TRUE(fs::exists(path + "/snapshot.tmp")) << "a read-only open removed a file";
  // A writer removes what a killed checkpoint left, and says so.
  auto index = PersistentIndex::open_existing(path);
  EXPECT_FALSE(fs::exists(path + "/snapshot.tmp"));
  EXPECT_EQ(index.stats().recovery.removed_files, std::vector<std::string>{"snapshot.tmp"});
  EXPECT_NE(index.stats().recovery.describe().find("removed snapshot.tmp"), std::string::npos);
}

TEST(PersistentIndexConcurrency, WritersAndReadersTogether) {
  TempFolder folder;
  neardup::IndexOptions options;
  options.sync_every_add = false;
  auto index = PersistentIndex::open(folder / "index", {}, options);
  const std::vector<std::string> texts = {seed(seed000), seed(seed001), seed(seed002), seed(seed003), seed(seed004)};
  std::atomic<bool> stop{false};
  std::atomic<int> added{0}, queried{0}, failures{0};
  std::vector<std::thread> threads;
  for (int writer = 0; writer < 2; ++writer)
    threads.emplace_back([&, writer] {
      for (int i = 0; !stop; ++i) {
        try {
          const std::string id = "w" + std::to_string(writer) + "-" + std::to_string(i);
          // Variants of the seeds: the first words changed so that each is a near copy.
          const std::string text = id + " " + id + " " + texts[static_cast<std::size_t>(i) % texts.size()];
          if (i % 3 == 0) index.add(id, text);
          else index.add_if_new(id, text);
          if (i % 7 == 6) index.remove("w" + std::to_string(writer) + "-" + std::to_string(i - 3));
          if (writer == 0 && i % 50 == 49) index.checkpoint();
          ++added;
        } catch (...) {
          ++failures;
        }
      }
    });
  for (int reader = 0; reader < 4; ++reader)
    threads.emplace_back([&, reader] {
      for (int i = reader; !stop; ++i) {
        try {
          index.query(texts[static_cast<std::size_t>(i) % texts.size()]);
          index.stats();
          ++queried;
        } catch (...) {
          ++failures;
        }
      }
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  stop = true;
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(added.load(), 0);
  EXPECT_GT(queried.load(), 0);
  EXPECT_TRUE(index.query(texts[0]).size() > 0);
}

TEST(PersistentIndexFixture, OpensTheCommittedVersion1Index) {
  // Built by: neardup index create fixtures/index/v1 && neardup index add fixtures/index/v1
  // seeds/000* seeds/001* seeds/002* && neardup index compact fixtures/index/v1 && neardup index
  // add fixtures/index/v1 seeds/003* (a snapshot of three, a log of one). It must keep opening.
  TempFolder folder;
  const std::string path = folder / "v1";
  fs::create_directories(path);
  for (const auto& name : {"snapshot", "log"}) fs::copy_file(std::string(NEARDUP_FIXTURES_DIR) + "/index/v1/" + name, path + "/" + name);
  auto index = PersistentIndex::open_existing(path);
  EXPECT_EQ(index.spec(), IndexSpec{});
  EXPECT_EQ(index.stats().documents, 4u);
  const auto exact = index.query(seed(seed003));
  ASSERT_FALSE(exact.empty());
  EXPECT_EQ(exact.front().id, seed003);
  EXPECT_EQ(exact.front().relation, Relation::exact_duplicate);
  EXPECT_TRUE(has(index.query(seed(seed004)), seed001, Relation::translation));
}

TEST(PersistentIndexFile, Crc32IsZlibsAtEveryLengthAndSplit) {
  // The bitwise definition, against which the table-driven one is checked at every alignment.
  auto reference = [](std::string_view bytes) {
    std::uint32_t crc = 0xFFFFFFFFu;
    for (char c : bytes) {
      crc ^= static_cast<unsigned char>(c);
      for (int bit = 0; bit < 8; ++bit) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
    }
    return ~crc;
  };
  EXPECT_EQ(neardup::detail::crc32("123456789"), 0xCBF43926u);
  std::mt19937 rng(7);
  std::string bytes;
  for (int i = 0; i < 70; ++i) bytes.push_back(static_cast<char>(rng()));
  for (std::size_t length = 0; length <= bytes.size(); ++length) {
    const std::string_view data(bytes.data(), length);
    ASSERT_EQ(neardup::detail::crc32(data), reference(data)) << length;
    const std::size_t half = length / 3;
    EXPECT_EQ(neardup::detail::crc32(data.substr(half), neardup::detail::crc32(data.substr(0, half))), reference(data)) << length;
  }
}

TEST(PersistentIndexMemory, FlatMapAgreesWithAStandardMapThroughGrowth) {
  neardup::detail::FlatU64Map map;
  std::unordered_map<std::uint64_t, std::uint32_t> expected;
  std::mt19937_64 rng(11);
  for (std::uint32_t i = 0; i < 50000; ++i) {
    // Small keys collide in their low bits, as SimHash blocks do; every tenth key repeats one.
    const std::uint64_t key = i % 10 == 9 ? rng() % 1000 : (i % 2 == 0 ? rng() : i);
    std::uint32_t& value = map.find_or_insert(key);
    const auto [it, inserted] = expected.try_emplace(key, i);
    ASSERT_EQ(value == neardup::detail::FlatU64Map::none, inserted) << key;
    if (inserted) value = i;
  }
  EXPECT_EQ(map.size(), expected.size());
  for (const auto& [key, value] : expected) ASSERT_EQ(map.find(key), value);
  std::size_t visited = 0;
  map.for_each([&](std::uint64_t key, std::uint32_t value) {
    ++visited;
    EXPECT_EQ(expected.at(key), value);
  });
  EXPECT_EQ(visited, expected.size());
  EXPECT_EQ(map.find(0xDEADBEEFCAFEULL), neardup::detail::FlatU64Map::none);
}

TEST(PersistentIndexMatching, AReopenedIndexAnswersAsTheOneThatWasBuilt) {
  // Reopening builds postings in bulk, after replaying removals and replacements from the log.
  TempFolder folder;
  const std::string path = folder / "index";
  const std::vector<std::string> names = {seed000, seed001, seed002, seed003, seed004};
  std::vector<std::vector<neardup::Match>> before;
  {
    auto index = PersistentIndex::open(path, {});
    for (const auto& name : names) index.add(name, seed(name));
    index.checkpoint();
    index.remove(seed002);
    index.add(seed000, seed(seed003));  // the same id, another text
    index.add("near-003", near_copy_of_003());
    for (const auto& name : names) before.push_back(index.query(seed(name)));
  }
  auto index = PersistentIndex::open_existing(path);
  EXPECT_EQ(index.stats().documents, 5u);
  EXPECT_FALSE(index.contains(seed002));
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto after = index.query(seed(names[i]));
    ASSERT_EQ(after.size(), before[i].size()) << names[i];
    for (std::size_t m = 0; m < after.size(); ++m) {
      EXPECT_EQ(after[m].id, before[i][m].id) << names[i];
      EXPECT_EQ(after[m].relation, before[i][m].relation) << names[i];
      EXPECT_NEAR(after[m].score, before[i][m].score, 1e-6) << names[i];
    }
  }
  EXPECT_TRUE(has(index.query(seed(seed003)), seed000, Relation::exact_duplicate));
}

// A crawler meets each page of a story after some of its translations: every ntrex-dev document
// queried against an index of all of them (languages not given) finds the documents of its story
// in other languages, and little else. Both directions count. Measured (tools/evaluate_all.sh,
// its index line): precision 0.9937, recall 0.8656, where batch finds 0.99 of them; issue 16's
// target is 0.97 at 0.99. This floor keeps what the index has.
TEST(PersistentIndexDev, EveryDocumentQueriedAgainstAllFindsItsTranslations) {
  if (!neardup::testing::have_dev_data()) GTEST_SKIP() << "no dev data at " << neardup::testing::dev_dir();
  const auto documents = neardup::read_inputs({neardup::testing::dev_dir() + "/docs.jsonl"}, {}).documents;
  const auto truth = neardup::read_truth(neardup::testing::dev_dir() + "/truth.tsv");
  TempFolder folder;
  auto index = PersistentIndex::open(folder / "index", {});
  index.add_batch(documents);
  const auto answers = index.query_batch(documents);
  std::size_t correct = 0, predicted = 0, expected = 0;
  for (std::size_t d = 0; d < documents.size(); ++d) {
    const auto& label = truth.at(documents[d].id);
    for (const auto& match : answers[d]) {
      if (match.relation != Relation::translation) continue;
      ++predicted;
      correct += truth.at(match.id).story == label.story ? 1 : 0;
    }
    for (const auto& [id, other] : truth) expected += other.story == label.story && other.lang != label.lang ? 1 : 0;
  }
  const double precision = static_cast<double>(correct) / static_cast<double>(std::max<std::size_t>(predicted, 1));
  const double recall = static_cast<double>(correct) / static_cast<double>(expected);
  EXPECT_GE(precision, 0.99);
  EXPECT_GE(recall, 0.86) << correct << " of " << expected;
}

}  // namespace

// PersistentIndex: the state in memory (store/index_state.hpp) kept in a snapshot and an
// append-only log (format in store/index_file.hpp) under the folder's lock, so that it survives
// restarts and crashes: opening replays the log over the snapshot, a checkpoint writes a new
// snapshot and starts a new log, each replaced atomically (store/posix_files.hpp).
#include "neardup/persistent_index.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <unicode/uversion.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <filesystem>
#include <mutex>
#include <shared_mutex>

#include "base/parallel.hpp"
#include "store/index_file.hpp"
#include "store/index_spec.hpp"
#include "store/index_state.hpp"
#include "store/posix_files.hpp"

namespace neardup {
namespace fs = std::filesystem;

class PersistentIndex::Impl {
 public:
  Impl(std::string folder, IndexSpec spec, IndexOptions options) : folder_(std::move(folder)), spec_(spec), options_(options), state_(spec) {}
  ~Impl() {
    if (!options_.sync_every_add && log_.get() >= 0) ::fdatasync(log_.get());
  }

  static std::unique_ptr<Impl> open(const std::string& path, const IndexSpec* spec, const IndexOptions& options);

  const IndexSpec& spec() const { return spec_; }

  std::vector<Match> query(std::string_view text, const std::string& lang, bool translations_too) const {
    const auto document = detail::extract(spec_, "query", text, lang);
    std::shared_lock lock(state_mutex_);
    return state_.query(document, translations_too);
  }

  void add(const std::string& id, std::string_view text, const std::string& lang) {
    const auto document = detail::extract(spec_, id, text, lang);
    std::lock_guard writer(writer_mutex_);
    append({detail::encode_record(detail::RecordType::add, detail::encode_add(document))}, options_.sync_every_add);
    std::unique_lock lock(state_mutex_);
    state_.add(document, log_path(), 0);
    ++version_;
  }

  AddResult add_if_new(const std::string& id, std::string_view text, const std::string& lang) {
    const auto document = detail::extract(spec_, id, text, lang);
    // The matching runs beside other writers' (under the shared lock) and is kept when no
    // change came in between; only then is it repeated under the writer lock. With matching in
    // the writer lock, writers would take turns for all but the text's preparation.
    AddResult result;
    std::uint64_t matched_at = 0;
    {
      std::shared_lock lock(state_mutex_);
      matched_at = version_;
      result.matches = matches_for_add(id, document);
    }
    std::lock_guard writer(writer_mutex_);
    // Only writers change the state, and this one holds the writer lock: reading it here is
    // safe alongside concurrent queries, and what is read stays true until the add below.
    if (version_ != matched_at) result.matches = matches_for_add(id, document);
    if (state_.contains(id)) {
      const bool unchanged = std::any_of(result.matches.begin(), result.matches.end(), [&](const Match& match) {
        return match.relation == Relation::exact_duplicate && match.id == id;
      });
      // Whether a changed page should replace its entry, or be judged against it, is the caller's
      // to say; returning "not added" would leave the index holding text the page no longer has.
      if (!unchanged)
        throw Error(ErrorCode::id_conflict, "add_if_new: " + printable(id) +
                                                " is indexed with another text; call add() to replace it, or remove() it first");
      return result;
    }
    const bool seen = std::any_of(result.matches.begin(), result.matches.end(), [&](const Match& match) {
      return match.relation != Relation::translation || options_.skip_translations;
    });
    if (seen) return result;
    append({detail::encode_record(detail::RecordType::add, detail::encode_add(document))}, options_.sync_every_add);
    std::unique_lock lock(state_mutex_);
    state_.add(document, log_path(), 0);
    ++version_;
    result.added = true;
    return result;
  }

  bool remove(const std::string& id) {
    std::lock_guard writer(writer_mutex_);
    if (!state_.contains(id)) return false;
    append({detail::encode_record(detail::RecordType::remove, detail::encode_remove(id))}, options_.sync_every_add);
    std::unique_lock lock(state_mutex_);
    state_.remove(id);
    ++version_;
    return true;
  }

  void add_batch(const std::vector<Document>& documents) {
    std::vector<detail::StoredDocument> prepared(documents.size());
    detail::parallel_for(options_.threads, documents.size(), [&](std::size_t i) {
      prepared[i] = detail::extract(spec_, documents[i].id, documents[i].text, documents[i].lang);
    }, 4);
    std::vector<std::string> records;
    for (const auto& document : prepared) records.push_back(detail::encode_record(detail::RecordType::add, detail::encode_add(document)));
    std::lock_guard writer(writer_mutex_);
    append(records, true);
    std::unique_lock lock(state_mutex_);
    for (const auto& document : prepared) state_.add(document, log_path(), 0);
    ++version_;
  }

  std::vector<std::vector<Match>> query_batch(const std::vector<Document>& documents) const {
    std::vector<std::vector<Match>> results(documents.size());
    detail::parallel_for(options_.threads, documents.size(), [&](std::size_t i) { results[i] = query(documents[i].text, documents[i].lang, true); }, 4);
    return results;
  }

  bool contains(const std::string& id) const {
    std::shared_lock lock(state_mutex_);
    return state_.contains(id);
  }

  IndexStats stats() const {
    IndexStats stats;
    {
      std::shared_lock lock(state_mutex_);
      stats.documents = state_.documents();
      stats.bytes_in_memory = state_.bytes_in_memory();
    }
    stats.bytes_on_disk = snapshot_bytes_.load() + log_bytes_.load();
    stats.log_records = log_records_.load();
    stats.recovery = recovery_;
    return stats;
  }

  void flush() {
    std::lock_guard writer(writer_mutex_);
    check_usable();
    if (::fdatasync(log_.get()) != 0) detail::throw_io("fdatasync failed", log_path());
  }

  void checkpoint();

 private:
  std::string snapshot_path() const { return folder_ + "/snapshot"; }
  std::string log_path() const { return folder_ + "/log"; }
  detail::FileHeader header(detail::FileKind kind) const {
    return {kind, generation_, spec_.to_string(), U_ICU_VERSION, samples_};
  }
  void check_usable() const {
    if (options_.read_only)
      throw Error(ErrorCode::usage, folder_ + ": the index was opened read-only; open it without read_only to change it");
    if (broken_)
      throw Error(ErrorCode::io, log_path() + ": an earlier write failed and could not be undone; reopen the index (what was acknowledged is safe)");
  }
  // Appends records to the log, then syncs when asked. On failure the log is cut back to where
  // it was, so that no later record follows a partial one.
  void append(const std::vector<std::string>& records, bool sync) {
    check_usable();
    std::string bytes;
    for (const auto& record : records) bytes += record;
    const std::uint64_t before = log_bytes_.load();
    if (torn_tail_) {
      // Cut away the torn end found on open only now: opening changes nothing on disk.
      if (::ftruncate(log_.get(), static_cast<off_t>(before)) != 0 || ::fsync(log_.get()) != 0)
        detail::throw_io("cannot cut away the torn end of the log", log_path());
      torn_tail_ = false;
    }
    try {
      detail::write_all(log_.get(), bytes, log_path());
      if (sync && ::fdatasync(log_.get()) != 0) detail::throw_io("fdatasync failed", log_path());
    } catch (...) {
      if (::ftruncate(log_.get(), static_cast<off_t>(before)) != 0 || ::lseek(log_.get(), 0, SEEK_END) < 0) broken_ = true;
      throw;
    }
    log_bytes_ += bytes.size();
    log_records_ += records.size();
  }
  // A duplicate decides alone, and most pages a crawler meets again are duplicates: the
  // translation search (several postings walks) is spent only on pages that may be new.
  std::vector<Match> matches_for_add(const std::string& id, const detail::StoredDocument& document) const {
    std::vector<Match> matches = state_.query(document, false);
    if (matches.empty() && !state_.contains(id)) matches = state_.query(document);
    return matches;
  }
  void start_log(std::uint64_t generation);
  void replay(const std::string& file, const detail::Record* records, std::size_t count, bool snapshot);

  std::string folder_;
  IndexSpec spec_;
  IndexOptions options_;
  std::vector<detail::SelfTestSample> samples_;
  std::uint64_t generation_ = 0;
  detail::IndexLock lock_;
  detail::FileDescriptor log_;
  bool broken_ = false;
  bool torn_tail_ = false;  // the log ends in a torn record, past log_bytes_
  Recovery recovery_;
  std::atomic<std::uint64_t> snapshot_bytes_{0}, log_bytes_{0}, log_records_{0};

  mutable std::mutex writer_mutex_;
  mutable std::shared_mutex state_mutex_;
  detail::State state_;
  std::uint64_t version_ = 0;  // changes of state_; changed under both locks
};

void PersistentIndex::Impl::replay(const std::string& file, const detail::Record* records, std::size_t count, bool snapshot) {
  // Add records are decoded in parallel a chunk at a time (bounding the decoded copies held at
  // once) and applied in file order; a decoding error is raised when its record's turn comes,
  // so that the first damage in the file is the one reported, as in a sequential replay.
  constexpr std::size_t chunk = 1u << 14;
  std::vector<detail::StoredDocument> decoded;
  std::vector<std::exception_ptr> errors;
  for (std::size_t first = 0; first < count; first += chunk) {
    const std::size_t size = std::min(chunk, count - first);
    decoded.assign(size, {});
    errors.assign(size, nullptr);
    detail::parallel_for(options_.threads, size, [&](std::size_t i) {
      const detail::Record& record = records[first + i];
      if (record.type != detail::RecordType::add) return;
      try {
        decoded[i] = detail::decode_add(record, file);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }, 256);
    for (std::size_t i = 0; i < size; ++i) {
      const detail::Record& record = records[first + i];
      if (snapshot && record.type != detail::RecordType::add) detail::throw_corrupt(file, record.offset, "a snapshot may hold add records only");
      if (errors[i]) std::rethrow_exception(errors[i]);
      if (record.type == detail::RecordType::add) state_.add(decoded[i], file, record.offset);
      else if (record.type == detail::RecordType::remove) state_.remove(detail::decode_remove(record, file));
      else detail::throw_corrupt(file, record.offset, "an end record in a log");
    }
  }
}

void PersistentIndex::Impl::start_log(std::uint64_t generation) {
  detail::FileHeader log_header = header(detail::FileKind::log);
  log_header.generation = generation;
  const std::string bytes = detail::encode_header(log_header);
  detail::AtomicFile file(log_path());
  file.append(bytes);
  file.commit();
  detail::FileDescriptor fd(::open(log_path().c_str(), O_WRONLY | O_APPEND | O_CLOEXEC));
  if (fd.get() < 0) detail::throw_io("cannot open for appending", log_path());
  log_ = std::move(fd);
  log_bytes_ = bytes.size();
  log_records_ = 0;
}

std::unique_ptr<PersistentIndex::Impl> PersistentIndex::Impl::open(const std::string& path, const IndexSpec* spec, const IndexOptions& options) {
  if (spec != nullptr) detail::validate(*spec);
  const std::string folder = fs::path(path).lexically_normal().string();
  std::error_code error;
  const bool exists = fs::exists(folder, error);
  if (error) throw Error(ErrorCode::io, folder + ": " + error.message());
  if (exists && !fs::is_directory(folder, error))
    throw Error(ErrorCode::usage, folder + ": exists and is not an index folder; choose another path");
  const bool has_snapshot = exists && PersistentIndex::exists(folder);
  if (!has_snapshot) {
    if (spec == nullptr || options.read_only) throw Error(ErrorCode::io, folder + ": no index here (no snapshot file); create one first");
    if (exists)
      for (const auto& item : fs::directory_iterator(folder)) {
        const std::string name = item.path().filename().string();
        if (name != "lock" && name != "log" && name != "snapshot.tmp" && name != "log.tmp")
          throw Error(ErrorCode::usage, folder + ": holds files that are not an index (" + name + "); choose an empty or new folder");
      }
    fs::create_directories(folder, error);
    if (error) throw Error(ErrorCode::io, folder + ": cannot create the index folder: " + error.message());
    const std::string parent = fs::absolute(folder).parent_path().string();
    detail::sync_folder(parent);
  }

  detail::IndexLock lock = detail::IndexLock::acquire(folder, options.read_only);
  // Only a successful open repairs: a failed one changes nothing on disk.
  const auto opened = [&](std::unique_ptr<Impl> impl) {
    if (!options.read_only) impl->recovery_.removed_files = detail::remove_stale_temporaries(folder);
    impl->lock_ = std::move(lock);
    return impl;
  };

  IndexSpec effective = spec != nullptr ? *spec : IndexSpec{};
  if (!has_snapshot) {
    // A new index: an empty snapshot of generation 0 (the log follows below).
    auto impl = std::make_unique<Impl>(folder, effective, options);
    impl->samples_ = detail::fresh_samples();
    detail::AtomicFile snapshot(impl->snapshot_path());
    snapshot.append(detail::encode_header(impl->header(detail::FileKind::snapshot)));
    detail::ByteWriter end;
    end.u64(0);
    snapshot.append(detail::encode_record(detail::RecordType::end, end.data()));
    impl->snapshot_bytes_ = snapshot.size();
    snapshot.commit();
    impl->start_log(0);
    return opened(std::move(impl));
  }

  const std::string snapshot_file = folder + "/snapshot";
  const detail::MappedFile snapshot_map(snapshot_file);
  const std::string_view snapshot_data = snapshot_map.data();
  detail::FileHeader snapshot_header;
  const std::size_t snapshot_start = detail::decode_header(snapshot_data, snapshot_file, snapshot_header);
  if (snapshot_header.kind != detail::FileKind::snapshot) detail::throw_corrupt(snapshot_file, 12, "a log where the snapshot should be");
  const IndexSpec stored = IndexSpec::parse(snapshot_header.spec);
  if (spec != nullptr && !(stored == *spec))
    throw Error(ErrorCode::incompatible_index, folder + ": the index was built with spec " + snapshot_header.spec + " and opened with " +
                                                   spec->to_string() + "; open it with its own spec or build a new index");
  effective = stored;
  detail::validate(effective);
  const auto recomputed = detail::current_samples(snapshot_header.samples);
  for (std::size_t i = 0; i < recomputed.size(); ++i)
    if (recomputed[i].pivot != snapshot_header.samples[i].pivot)
      throw Error(ErrorCode::incompatible_index,
                  folder + ": transliteration changed: ICU " + snapshot_header.icu_version + " vs " + U_ICU_VERSION + " ('" +
                      recomputed[i].text + "' was '" + snapshot_header.samples[i].pivot + "', is '" + recomputed[i].pivot +
                      "'); rebuild the index from the documents");

  auto impl = std::make_unique<Impl>(folder, effective, options);
  impl->samples_ = snapshot_header.samples;
  impl->generation_ = snapshot_header.generation;
  const auto snapshot_records = detail::scan_records(snapshot_data, snapshot_start, snapshot_file, false);
  if (snapshot_records.records.empty() || snapshot_records.records.back().type != detail::RecordType::end)
    detail::throw_corrupt(snapshot_file, snapshot_data.size(), "the snapshot ends without its end record (cut short?)");
  const std::uint64_t adds = snapshot_records.records.size() - 1;
  impl->state_.begin_bulk_load(adds);
  impl->replay(snapshot_file, snapshot_records.records.data(), adds, true);
  {
    const auto& end = snapshot_records.records.back();
    detail::ByteReader reader(end.payload, snapshot_file, end.offset + detail::record_header_bytes);
    const std::uint64_t expected = reader.u64();
    if (expected != adds || !reader.at_end())
      detail::throw_corrupt(snapshot_file, end.offset, "the snapshot's end record counts " + std::to_string(expected) + " documents, " +
                                                           std::to_string(adds) + " were read");
  }
  impl->snapshot_bytes_ = snapshot_data.size();

  const std::string log_file = folder + "/log";
  if (!fs::exists(log_file, error)) {
    impl->state_.end_bulk_load();
    if (!options.read_only) impl->start_log(impl->generation_);
    return opened(std::move(impl));
  }
  const detail::MappedFile log_map(log_file);
  const std::string_view log_data = log_map.data();
  detail::FileHeader log_header;
  const std::size_t log_start = detail::decode_header(log_data, log_file, log_header);
  if (log_header.kind != detail::FileKind::log) detail::throw_corrupt(log_file, 12, "a snapshot where the log should be");
  if (log_header.spec != snapshot_header.spec)
    throw Error(ErrorCode::incompatible_index, log_file + ": the log was written with spec " + log_header.spec + ", the snapshot with " +
                                                   snapshot_header.spec + "; the folder mixes two indexes");
  if (log_header.generation > impl->generation_)
    detail::throw_corrupt(log_file, 16, "the log continues generation " + std::to_string(log_header.generation) +
                                            " but the snapshot is generation " + std::to_string(impl->generation_) + " (snapshot replaced by an older one?)");
  if (log_header.generation < impl->generation_) {
    // A checkpoint stopped between its two renames: the snapshot already holds this log.
    impl->state_.end_bulk_load();
    impl->recovery_.stale_log = true;
    if (!options.read_only) impl->start_log(impl->generation_);
    return opened(std::move(impl));
  }
  const auto scanned = detail::scan_records(log_data, log_start, log_file, true);
  impl->replay(log_file, scanned.records.data(), scanned.records.size(), false);
  impl->state_.end_bulk_load();

  if (!options.read_only) {
    detail::FileDescriptor fd(::open(log_file.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC));
    if (fd.get() < 0) detail::throw_io("cannot open for appending", log_file);
    impl->log_ = std::move(fd);
  }
  // A torn end is an append that a crash cut short, never acknowledged; the next append cuts it.
  impl->torn_tail_ = scanned.torn;
  if (scanned.torn) {
    impl->recovery_.torn_offset = scanned.valid_end;
    impl->recovery_.torn_bytes = log_data.size() - scanned.valid_end;
  }
  impl->log_bytes_ = scanned.valid_end;
  impl->log_records_ = scanned.records.size();
  return opened(std::move(impl));
}

void PersistentIndex::Impl::checkpoint() {
  std::lock_guard writer(writer_mutex_);
  check_usable();
  const std::uint64_t next = generation_ + 1;
  {
    detail::FileHeader snapshot_header = header(detail::FileKind::snapshot);
    snapshot_header.generation = next;
    detail::AtomicFile snapshot(snapshot_path());
    snapshot.append(detail::encode_header(snapshot_header));
    std::uint64_t count = 0;
    // Only this writer changes the state, so it is read here without the state lock.
    state_.for_each_live([&](const detail::StoredDocument& document) {
      snapshot.append(detail::encode_record(detail::RecordType::add, detail::encode_add(document)));
      ++count;
    });
    detail::ByteWriter end;
    end.u64(count);
    snapshot.append(detail::encode_record(detail::RecordType::end, end.data()));
    snapshot_bytes_ = snapshot.size();
    snapshot.commit();
  }
  generation_ = next;
  start_log(next);
  if (state_.removed() > 0) {
    detail::State compacted(spec_);
    compacted.begin_bulk_load(state_.documents());
    state_.for_each_live([&](const detail::StoredDocument& document) { compacted.add(document, snapshot_path(), 0); });
    compacted.end_bulk_load();
    std::unique_lock lock(state_mutex_);
    state_ = std::move(compacted);
    ++version_;
  }
}

std::string Recovery::describe() const {
  std::string text;
  const auto sentence = [&](const std::string& part) { text += (text.empty() ? "" : " ") + part; };
  if (torn_bytes > 0)
    sentence("the log's last " + std::to_string(torn_bytes) + " bytes, from offset " + std::to_string(torn_offset) +
             ", are the torn end of an append a crash cut short (never acknowledged): ignored, and cut away at the next write.");
  if (stale_log) sentence("the log was already in the snapshot (a checkpoint stopped before starting its new log): not read.");
  for (const auto& name : removed_files) sentence("removed " + name + ", left by a killed checkpoint.");
  return text;
}

PersistentIndex::PersistentIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PersistentIndex::PersistentIndex(PersistentIndex&&) noexcept = default;
PersistentIndex& PersistentIndex::operator=(PersistentIndex&&) noexcept = default;
PersistentIndex::~PersistentIndex() = default;

PersistentIndex PersistentIndex::open(const std::string& path, const IndexSpec& spec, const IndexOptions& options) {
  return PersistentIndex(Impl::open(path, &spec, options));
}

PersistentIndex PersistentIndex::open_existing(const std::string& path, const IndexOptions& options) {
  return PersistentIndex(Impl::open(path, nullptr, options));
}

bool PersistentIndex::exists(const std::string& path) {
  std::error_code error;
  return fs::is_regular_file(fs::path(path).lexically_normal() / "snapshot", error);
}

const IndexSpec& PersistentIndex::spec() const noexcept { return impl_->spec(); }
void PersistentIndex::add(const std::string& id, std::string_view text, const std::string& lang) { impl_->add(id, text, lang); }
std::vector<Match> PersistentIndex::query(std::string_view text, const std::string& lang) const { return impl_->query(text, lang, true); }
std::vector<Match> PersistentIndex::copies(std::string_view text, const std::string& lang) const { return impl_->query(text, lang, false); }
AddResult PersistentIndex::add_if_new(const std::string& id, std::string_view text, const std::string& lang) {
  return impl_->add_if_new(id, text, lang);
}
bool PersistentIndex::remove(const std::string& id) { return impl_->remove(id); }
void PersistentIndex::add_batch(const std::vector<Document>& documents) { impl_->add_batch(documents); }
std::vector<std::vector<Match>> PersistentIndex::query_batch(const std::vector<Document>& documents) const {
  return impl_->query_batch(documents);
}
bool PersistentIndex::contains(const std::string& id) const { return impl_->contains(id); }
IndexStats PersistentIndex::stats() const { return impl_->stats(); }
void PersistentIndex::flush() { impl_->flush(); }
void PersistentIndex::checkpoint() { impl_->checkpoint(); }

}  // namespace neardup

// deduplicate_inputs: the batch decision of deduplicate(analyse(...), KeepPolicy::first) made
// in input order, one chunk of documents at a time (see neardup/pipeline.hpp).
//
// Batch removes a document for the best verified duplicate pair (exact before near, then the
// higher score, then the earlier document) with a document already kept, and in input order
// every kept document comes before the one being decided. So a document's decision needs only
// the documents kept before it: an exact-text table and an LSH index over them (the bands batch
// uses, for the measure the options name), and their shingles for verification, which a bounded
// cache holds for the recent ones and which are otherwise made again from the text, read again
// where it was found. Verification is batch's own (detail::near_duplicate_score). Two passes
// make that identical to batch: boilerplate (short lines recurring across the corpus's stories)
// changes the shingles, so it is counted over all documents first.
#include <malloc.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <limits>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "base/bounded_queue.hpp"
#include "base/parallel.hpp"
#include "batch/corpus.hpp"
#include "index/candidate_index.hpp"
#include "ingest/compression.hpp"
#include "ingest/line_reader.hpp"
#include "ingest/read.hpp"
#include "neardup/error.hpp"
#include "neardup/pipeline.hpp"
#include "score/duplicates.hpp"
#include "shingle/features.hpp"
#include "sketch/hash.hpp"
#include "stream/shingle_cache.hpp"
#include "stream/stream_dedup.hpp"
#include "text/language.hpp"
#include "text/script.hpp"

namespace neardup {
namespace {

constexpr std::uint32_t no_document = std::numeric_limits<std::uint32_t>::max();
// A fixed amount of memory, not a cost per document: the shingles of about 25,000 documents
// of 1 KB.
constexpr std::size_t shingle_cache_bytes = std::size_t{32} << 20;
// Enough text to tell a document's language for the summary (a paragraph or two).
constexpr std::size_t tally_language_bytes = 1024;

// The best verified duplicate of a document among those kept, by the order of deduplicate().
struct Verified {
  std::uint32_t document = no_document;
  Relation relation = Relation::near_duplicate;
  double score = 0.0;

  bool found() const noexcept { return document != no_document; }
  bool better_than(const Verified& other) const noexcept {
    if (!other.found()) return found();
    if (relation != other.relation) return relation == Relation::exact_duplicate;
    return score > other.score || (score == other.score && document < other.document);
  }
};

// Input bytes by path, for the share of the first pass done; -1 when unknown (standard input).
std::int64_t input_size(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::int64_t total = 0;
  for (const auto& path : paths) {
    std::error_code error;
    if (path == "-") return -1;
    if (fs::is_directory(path, error)) {
      for (fs::recursive_directory_iterator it(path, error), end; !error && it != end; it.increment(error))
        if (it->is_regular_file(error)) total += static_cast<std::int64_t>(it->file_size(error));
    } else {
      total += static_cast<std::int64_t>(fs::file_size(path, error));
    }
  }
  return total;
}

// Where the first pass is in the input, in bytes of the files read so far. A compressed file or
// a pipe counts once it is read: where the reader is in its bytes is not known here.
class InputPosition {
 public:
  void update(const Document& document, const detail::DocumentLocation& location) {
    if (document.source != source_) {
      done_ += size_;
      source_ = document.source;
      std::error_code error;
      size_ = source_ == "-" ? 0 : static_cast<std::int64_t>(std::filesystem::file_size(source_, error));
      if (error) size_ = 0;
      // A pipe is not opened again: that would take bytes from the reader.
      streamed_ = source_ != "-" && (!std::filesystem::is_regular_file(source_, error) || is_compressed(source_));
    }
    position_ = done_ + (location.line == 0 ? size_ : streamed_ ? 0 : static_cast<std::int64_t>(location.offset));
  }
  std::int64_t bytes() const noexcept { return position_; }

 private:
  // Only for the progress shown: a file that cannot be read here is the reader's to report.
  static bool is_compressed(const std::string& path) {
    detail::FileBuffer file(path);
    if (!file.is_open()) return false;
    detail::PeekableBuffer in(file);
    try {
      return detail::sniff_format(in.head(detail::magic_size), path).compression != detail::Compression::none;
    } catch (const Error&) {
      return false;
    }
  }

  std::string source_;
  std::int64_t size_ = 0;
  std::int64_t done_ = 0;
  std::int64_t position_ = 0;
  bool streamed_ = false;  // compressed or a pipe: offsets are the spool's
};

// One document of the chunk being decided.
struct Pending {
  Document document;
  std::string lang;  // given or detected, for the tally
  std::uint64_t exact_hash = 0;
  detail::WordShingles shingles;
  std::vector<std::uint64_t> keys;
  std::vector<std::uint32_t> earlier;  // near-duplicate candidates kept before the chunk
  Verified best;                       // among the documents kept before the chunk
  std::optional<Match> prior;          // DedupSinks::prior_original's answer
};

// A chunk of documents, from the reader's thread to the calling one.
struct Filled {
  std::vector<Document> documents;
  double read_to = -1.0;  // the share of the input read when the chunk was filled
};

class StreamingDedup {
 public:
  StreamingDedup(const PipelineOptions& options, const DedupSinks& sinks, std::size_t chunk_size)
      : options_(options),
        duplicates_(detail::duplicate_options(options)),
        sinks_(sinks),
        chunk_size_(std::max<std::size_t>(1, chunk_size)) {}

  StreamedDedup run(const std::vector<std::string>& paths, const ReadOptions& read_options) {
    count_lines(paths, read_options);
    decide();
    return std::move(result_);
  }

 private:
  // Pass 1: where each document is, its id, and the short lines of every document. The reader
  // parses on a thread of its own while the chunks it has filled are worked on: parsing is
  // sequential, and the rest of the pass would otherwise wait for it.
  void count_lines(const std::vector<std::string>& paths, const ReadOptions& read_options) {
    const std::int64_t total = options_.progress ? input_size(paths) : -1;
    // At most two chunks wait, so that the reader stays only a little ahead.
    detail::BoundedQueue<Filled> queue(2);
    std::exception_ptr failure;
    std::thread reader([&] {
      InputPosition position;
      Filled filled;
      const auto hand_over = [&] {
        filled.read_to = total > 0 ? std::min(1.0, static_cast<double>(position.bytes()) / static_cast<double>(total)) : -1.0;
        if (!queue.push(std::move(filled))) throw detail::BoundedQueue<Filled>::Closed{};
        filled = {};
      };
      try {
        inputs_ = detail::stream_inputs(paths, read_options, [&](Document&& document, const detail::DocumentLocation& location) {
          if (locations_.size() == no_document) throw Error(ErrorCode::usage, "more than 4294967294 documents in one run");
          if (options_.progress) position.update(document, location);
          locations_.push_back(location);
          ids_ += document.id;
          id_ends_.push_back(ids_.size());
          filled.documents.push_back(std::move(document));
          if (filled.documents.size() == chunk_size_) hand_over();
        });
        hand_over();
      } catch (const detail::BoundedQueue<Filled>::Closed&) {
      } catch (...) {
        failure = std::current_exception();
      }
      queue.close();
    });

    std::vector<detail::ShortLine> short_lines;
    std::size_t merged_size = 0;
    std::uint64_t documents = 0, bytes = 0;
    detail::report(options_, "reading", 0, 0, 0.0);
    try {
      for (std::optional<Filled> filled; (filled = queue.pop());) {
        const auto& chunk = filled->documents;
        std::vector<std::vector<detail::ShortLine>> found(chunk.size());
        detail::parallel_for(options_.threads, chunk.size(),
                             [&](std::size_t i) { found[i] = detail::short_lines(detail::normalised_lines(chunk[i].text)); });
        for (const auto& lines : found) short_lines.insert(short_lines.end(), lines.begin(), lines.end());
        // Lines that recur (furniture above all) are kept once per signature with a count.
        if (short_lines.size() > 2 * merged_size + (1u << 16)) {
          detail::merge_counts(short_lines);
          merged_size = short_lines.size();
        }
        documents += chunk.size();
        for (const auto& document : chunk) bytes += document.text.size();
        detail::report(options_, "reading", documents, bytes, filled->read_to);
      }
    } catch (...) {
      queue.close();
      reader.join();
      throw;
    }
    reader.join();
    if (failure) std::rethrow_exception(failure);
    detail::report(options_, "reading", documents, bytes, 1.0);
    result_.rejected = std::move(inputs_.rejected);
    result_.warnings = std::move(inputs_.warnings);

    boilerplate_ = detail::find_boilerplate(std::move(short_lines));
    // The reader's id table and the line counts are gone; give their pages back before the
    // index takes its own, so that the peak is the larger of the two passes and not their sum.
    malloc_trim(0);
  }

  // Pass 2: every document against those kept before it, chunk by chunk.
  void decide() {
    const auto n = static_cast<std::uint32_t>(locations_.size());
    exact_hashes_.assign(n, 0);
    detail::CandidateIndex index(detail::candidate_search(duplicates_), n);
    detail::KeyTable exact(n);
    detail::ShingleCache cache(shingle_cache_bytes);
    std::uint64_t bytes = 0;
    detail::report(options_, "deduplicating", 0, 0, 0.0);
    for (std::uint32_t begin = 0; begin < n; begin += static_cast<std::uint32_t>(chunk_size_)) {
      const auto end = static_cast<std::uint32_t>(std::min<std::size_t>(n, begin + chunk_size_));
      std::vector<Pending> chunk(end - begin);
      const std::uint64_t now = begin / chunk_size_;
      // Preparing the chunk and matching it against the documents kept before it do not depend
      // on the decisions within the chunk: they run on all cores, and only the matches within
      // the chunk wait for the decisions in order.
      detail::parallel_for(options_.threads, chunk.size(), [&](std::size_t i) {
        Pending& pending = chunk[i];
        pending.document = detail::read_again(inputs_, locations_[begin + i]);
        pending.lang = pending.document.lang.empty() ? tally_language(pending.document.text) : pending.document.lang;
        pending.shingles = shingles_of(pending.document.text, pending.exact_hash);
        pending.keys = index.keys(pending.shingles.hashes);
        exact.for_each_candidate(pending.exact_hash, [&](std::uint32_t other) {
          if (exact_hashes_[other] == pending.exact_hash) pending.best = better({other, Relation::exact_duplicate, 1.0}, pending.best);
        });
        if (!pending.best.found()) pending.earlier = index.candidates(pending.keys);
        if (!pending.best.found() && sinks_.prior_original) pending.prior = sinks_.prior_original(pending.document);
      }, 4);
      // Candidates not in the cache are read and prepared again, each once for the chunk; only
      // their text is needed.
      std::vector<std::uint32_t> missing;
      for (const Pending& pending : chunk)
        for (std::uint32_t other : pending.earlier)
          if (!cache.touch(other, now)) missing.push_back(other);
      std::sort(missing.begin(), missing.end());
      missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
      std::vector<detail::WordShingles> loaded(missing.size());
      detail::parallel_for(options_.threads, missing.size(), [&](std::size_t i) {
        std::uint64_t exact_hash = 0;
        loaded[i] = shingles_of(detail::read_text_again(inputs_, locations_[missing[i]]), exact_hash);
      }, 4);
      for (std::size_t i = 0; i < missing.size(); ++i) cache.add(missing[i], std::move(loaded[i]), now);
      detail::parallel_for(options_.threads, chunk.size(), [&](std::size_t i) {
        Pending& pending = chunk[i];
        for (std::uint32_t other : pending.earlier) pending.best = better(verified(pending.shingles, *cache.find(other), other), pending.best);
      }, 16);
      for (std::uint32_t d = begin; d < end; ++d) {
        Pending& pending = chunk[d - begin];
        Verified best = pending.best;
        exact.for_each_candidate(pending.exact_hash, [&](std::uint32_t other) {
          if (other >= begin && exact_hashes_[other] == pending.exact_hash) best = better({other, Relation::exact_duplicate, 1.0}, best);
        });
        if (!best.found() || best.relation != Relation::exact_duplicate)
          for (std::uint32_t other : index.candidates(pending.keys))
            if (other >= begin) best = better(verified(pending.shingles, *cache.find(other), other), best);
        exact_hashes_[d] = pending.exact_hash;
        bytes += pending.document.text.size();
        LanguageTally& tally = result_.languages[pending.lang];
        if (best.found() || pending.prior) {
          ++tally.removed;
          tally.removed_bytes += pending.document.text.size();
          ++result_.removed;
          if (!sinks_.removed) continue;
          if (best.found())
            sinks_.removed(pending.document, id(best.document), best.relation, best.score);
          else
            sinks_.removed(pending.document, pending.prior->id, pending.prior->relation, pending.prior->score);
        } else {
          ++tally.kept;
          tally.kept_bytes += pending.document.text.size();
          ++result_.kept;
          exact.add(pending.exact_hash, d);
          index.add(pending.keys, d);
          if (sinks_.kept) sinks_.kept(pending.document);
          if (!pending.keys.empty()) cache.add(d, std::move(pending.shingles), now);
        }
      }
      cache.trim();
      detail::report(options_, "deduplicating", end, bytes, static_cast<double>(end) / n);
    }
  }

  // The language a document is counted under, detected on its start: the tally needs no more,
  // and detecting on whole documents cost dedup a third of its time.
  static std::string tally_language(std::string_view text) {
    std::size_t end = std::min(text.size(), tally_language_bytes);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    const std::string_view start = text.substr(0, end);
    return detail::detect_language(start, detail::profile_scripts(start));
  }

  static Verified better(const Verified& candidate, const Verified& best) { return candidate.better_than(best) ? candidate : best; }

  // A near-duplicate match with `other` when batch would pair them (detail::near_duplicate_score).
  Verified verified(const detail::WordShingles& shingles, const detail::WordShingles& other_shingles, std::uint32_t other) const {
    const std::optional<double> score = detail::near_duplicate_score(shingles, other_shingles, duplicates_);
    return score ? Verified{other, Relation::near_duplicate, *score} : Verified{};
  }

  // The word shingles of a text as batch makes them (the same boilerplate left out).
  detail::WordShingles shingles_of(std::string_view text, std::uint64_t& exact_hash) const {
    detail::PreparedDocument prepared =
        detail::prepare_shingles(text, detail::normalised_lines(text), boilerplate_, options_.word_shingle);
    exact_hash = prepared.exact_hash;
    return std::move(prepared.word_shingles);
  }

  std::string_view id(std::uint32_t document) const {
    const std::size_t begin = document == 0 ? 0 : id_ends_[document - 1];
    return std::string_view(ids_).substr(begin, id_ends_[document] - begin);
  }

  const PipelineOptions& options_;
  const detail::DuplicateOptions duplicates_;
  const DedupSinks& sinks_;
  const std::size_t chunk_size_;
  detail::StreamedInputs inputs_;
  std::vector<detail::DocumentLocation> locations_;
  std::string ids_;                 // all ids, one after another
  std::vector<std::size_t> id_ends_;
  std::unordered_set<std::uint64_t> boilerplate_;
  std::vector<std::uint64_t> exact_hashes_;  // of the normalised text, by document
  StreamedDedup result_;
};

}  // namespace

namespace detail {

StreamedDedup deduplicate_in_chunks(const std::vector<std::string>& paths, const ReadOptions& read_options,
                                    const PipelineOptions& options, const DedupSinks& sinks, std::size_t chunk_size) {
  return StreamingDedup(options, sinks, chunk_size).run(paths, read_options);
}

}  // namespace detail

StreamedDedup deduplicate_inputs(const std::vector<std::string>& paths, const ReadOptions& read_options,
                                 const PipelineOptions& options, const DedupSinks& sinks) {
  return detail::deduplicate_in_chunks(paths, read_options, options, sinks, detail::dedup_chunk_size);
}

}  // namespace neardup

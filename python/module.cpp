// The Python module neardup._core: the library's pipeline in batches, as compact numpy arrays,
// for pipelines that distribute the batches themselves (neardup.dask). Private glue: it reaches
// into src/ for the stages behind neardup::analyse, as bench/ and tests/ do, and calls them
// rather than re-implementing them, so that a distributed run decides as the command does.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <numeric>
#include <optional>
#include <shared_mutex>
#include <span>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "batch/corpus.hpp"
#include "batch/translation_evidence.hpp"
#include "cluster/cluster.hpp"
#include "base/disjoint_sets.hpp"
#include "index/lsh.hpp"
#include "ingest/read.hpp"
#include "ingest/utf8.hpp"
#include "neardup/ingest.hpp"
#include "neardup/persistent_index.hpp"
#include "neardup/pipeline.hpp"
#include "neardup/report.hpp"
#include "score/duplicates.hpp"
#include "score/translation.hpp"
#include "shingle/features.hpp"
#include "sketch/hash.hpp"
#include "text/script.hpp"

namespace py = pybind11;

namespace neardup::python {
namespace {

using U64 = py::array_t<std::uint64_t, py::array::c_style | py::array::forcecast>;
using U32 = py::array_t<std::uint32_t, py::array::c_style | py::array::forcecast>;
using U8 = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>;
using F64 = py::array_t<double, py::array::c_style | py::array::forcecast>;

// Hands a vector's buffer to numpy without copying it.
template <class T>
py::array_t<T> to_array(std::vector<T>&& values) {
  auto* owned = new std::vector<T>(std::move(values));
  py::capsule free_when_done(owned, [](void* pointer) { delete static_cast<std::vector<T>*>(pointer); });
  return py::array_t<T>(static_cast<py::ssize_t>(owned->size()), owned->data(), free_when_done);
}

template <class T, class Array>
std::span<const T> view(const Array& array) {
  return {array.data(), static_cast<std::size_t>(array.size())};
}

// Documents as read, held in C++ between the stages of a partition; picklable so that a
// distributed engine can move and spill them.
struct Batch {
  std::vector<Document> documents;
  std::vector<Rejected> rejected;
  std::vector<Warning> warnings;
  FieldNames fields;  // as read: kept lines rebuilt for documents without their line use them
};

Batch batch_of(ReadResult&& read, const FieldNames& fields) {
  return {std::move(read.documents), std::move(read.rejected), std::move(read.warnings), fields};
}


OnError on_error_of(const std::string& name) {
  if (name == "fail") return OnError::fail;
  if (name == "skip") return OnError::skip;
  throw Error(ErrorCode::usage, "on_error must be fail or skip, not " + name);
}

ReadOptions read_options_of(const std::string& on_error, const std::string& text_field, const std::string& id_field,
                            const std::string& lang_field, bool keep_lines) {
  ReadOptions options;
  options.on_error = on_error_of(on_error);
  options.fields = {id_field, text_field, lang_field};
  options.keep_lines = keep_lines;
  return options;
}

// Lines [begin, end) of a JSON Lines file whose first line is first_line: read as read_inputs reads
// the whole file, with lines and byte offsets counted from the file's start.
Batch read_jsonl_range(const std::string& path, std::uint64_t begin, std::uint64_t end, std::uint64_t first_line,
                       const ReadOptions& options) {
  if (first_line == 0) throw Error(ErrorCode::usage, "read_jsonl_range: lines are counted from 1");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::io, path + ": cannot open");
  in.seekg(0, std::ios::end);
  const auto size = static_cast<std::uint64_t>(in.tellg());
  end = std::min(end, size);
  begin = std::min(begin, end);
  // The reader skips blank lines: one newline for each line before the range makes it count
  // lines as in the whole file, in every message too ("first used at FILE:LINE").
  const std::uint64_t shift = first_line - 1;
  std::string bytes(shift, '\n');
  bytes.resize(shift + (end - begin));
  in.seekg(static_cast<std::streamoff>(begin));
  in.read(bytes.data() + shift, static_cast<std::streamsize>(end - begin));
  bytes.resize(shift + static_cast<std::size_t>(in.gcount()));
  try {
    return batch_of(detail::read_jsonl_buffer(bytes, path, options), options.fields);
  } catch (const InputError& error) {
    const std::uint64_t offset = error.byte_offset() >= shift ? error.byte_offset() - shift + begin : error.byte_offset();
    throw InputError(error.file(), error.line(), offset, error.problem());
  }
}

std::vector<std::vector<detail::NormalisedLine>> lines_of(const Batch& batch) {
  std::vector<std::vector<detail::NormalisedLine>> lines(batch.documents.size());
  for (std::size_t d = 0; d < lines.size(); ++d) lines[d] = detail::normalised_lines(batch.documents[d].text);
  return lines;
}

// A corpus's short lines as arrays (hashes, stories, counts) and back.
py::tuple line_count_arrays(const std::vector<detail::ShortLine>& lines) {
  std::vector<std::uint64_t> hashes, stories, counts;
  for (const auto& line : lines) hashes.push_back(line.hash), stories.push_back(line.story), counts.push_back(line.count);
  return py::make_tuple(to_array(std::move(hashes)), to_array(std::move(stories)), to_array(std::move(counts)));
}

std::vector<detail::ShortLine> short_lines_from(const U64& hashes, const U64& stories, const U64& counts) {
  if (hashes.size() != stories.size() || hashes.size() != counts.size())
    throw Error(ErrorCode::usage, "line counts: hashes, stories and counts must have one entry per line");
  std::vector<detail::ShortLine> lines(static_cast<std::size_t>(hashes.size()));
  for (std::size_t i = 0; i < lines.size(); ++i) lines[i] = {hashes.data()[i], stories.data()[i], counts.data()[i]};
  return lines;
}

// Every line short enough to be boilerplate, with its document's story signature and its count
// in the batch: the counts of all partitions summed by line and signature (merge_line_counts),
// given to boilerplate(), say which lines recur across the corpus's stories.
py::tuple line_counts(const Batch& batch) {
  std::vector<detail::ShortLine> lines;
  {
    py::gil_scoped_release release;
    for (const auto& document : lines_of(batch)) {
      const auto found = detail::short_lines(document);
      lines.insert(lines.end(), found.begin(), found.end());
    }
    detail::merge_counts(lines);
  }
  return line_count_arrays(lines);
}

// Line counts of several partitions, concatenated, summed by line and signature.
py::tuple merge_line_counts(const U64& hashes, const U64& stories, const U64& counts) {
  auto lines = short_lines_from(hashes, stories, counts);
  {
    py::gil_scoped_release release;
    detail::merge_counts(lines);
  }
  return line_count_arrays(lines);
}

// The boilerplate lines among a corpus's line counts (line_counts() of every partition).
py::array boilerplate_of(const U64& hashes, const U64& stories, const U64& counts) {
  auto lines = short_lines_from(hashes, stories, counts);
  std::vector<std::uint64_t> found;
  {
    py::gil_scoped_release release;
    const auto boilerplate = detail::find_boilerplate(std::move(lines));
    found.assign(boilerplate.begin(), boilerplate.end());
    std::sort(found.begin(), found.end());
  }
  return to_array(std::move(found));
}

struct SketchOptions {
  std::uint32_t word_shingle = 3;
  double threshold = 0.5;
  DuplicateMeasure measure = PipelineOptions{}.measure;
  MinHashParams minhash{};
};

DuplicateMeasure measure_of(const std::string& name) {
  if (name == "containment") return DuplicateMeasure::containment;
  if (name == "jaccard") return DuplicateMeasure::jaccard;
  throw Error(ErrorCode::usage, "measure must be containment or jaccard, not '" + printable(name) + "'");
}

// One pass of the engine over a batch, given the corpus's boilerplate lines: per document what
// the later stages compare, in flat arrays (CSR offsets + values) rather than Python objects.
// Without languages, lang and script come back empty and unknown.
py::dict sketch(const Batch& batch, const U64& boilerplate_array, std::uint64_t first_document, bool features,
                bool languages, bool minhash_values, const SketchOptions& options) {
  const std::size_t n = batch.documents.size();
  std::vector<std::string> langs(n), scripts(n), titles(n), headlines(n);
  std::vector<double> script_share(n);
  std::vector<std::uint32_t> boilerplate_lines(n), content_words(n), band_doc, band_index, text_bytes(n), shingle_sentences;
  std::vector<std::uint64_t> exact(n), shingle_offsets{0}, shingles, band_keys, minhashes;
  std::vector<std::uint8_t> script_ids(n);
  std::vector<std::uint64_t> sentence_offsets{0}, gram_offsets{0}, anchor_offsets{0}, grams, anchors;
  std::vector<std::uint32_t> span_begin, span_end;
  detail::DuplicateOptions duplicates = detail::duplicate_options({});  // the command's bands for the measure
  duplicates.threshold = options.threshold;
  duplicates.measure = options.measure;
  duplicates.minhash = options.minhash;
  const detail::BandingParams banding = detail::candidate_banding(duplicates);
  {
    py::gil_scoped_release release;
    const auto boilerplate_view = view<std::uint64_t>(boilerplate_array);
    const std::unordered_set<std::uint64_t> boilerplate(boilerplate_view.begin(), boilerplate_view.end());
    for (std::size_t d = 0; d < n; ++d) {
      const Document& document = batch.documents[d];
      const auto lines = detail::normalised_lines(document.text);
      // Deduplication needs neither the language nor the translation features: sparing them is
      // most of the time of a pass.
      const detail::PreparedDocument prepared =
          languages ? detail::prepare(document, lines, boilerplate, options.word_shingle, features)
                    : detail::prepare_shingles(document.text, lines, boilerplate, options.word_shingle);
      langs[d] = prepared.lang;
      script_ids[d] = static_cast<std::uint8_t>(prepared.script);
      scripts[d] = std::string(detail::script_code(prepared.script));
      script_share[d] = prepared.script_share;
      boilerplate_lines[d] = prepared.boilerplate_lines;
      content_words[d] = prepared.content_words;
      text_bytes[d] = static_cast<std::uint32_t>(document.text.size());
      titles[d] = detail::line_title(document.text, prepared.title);
      headlines[d] = detail::line_title(document.text, prepared.headline);
      exact[d] = prepared.exact_hash;
      shingles.insert(shingles.end(), prepared.word_shingles.hashes.begin(), prepared.word_shingles.hashes.end());
      shingle_sentences.insert(shingle_sentences.end(), prepared.word_shingles.sentences.begin(), prepared.word_shingles.sentences.end());
      shingle_offsets.push_back(shingles.size());
      const MinHashSketch sketch = minhash(prepared.word_shingles.hashes, options.minhash);
      if (minhash_values) minhashes.insert(minhashes.end(), sketch.values().begin(), sketch.values().end());
      // The index leaves empty sets out: they agree in every band yet have similarity 0.
      if (!sketch.empty_set())
        for (std::uint32_t band = 0; band < banding.bands; ++band) {
          band_doc.push_back(static_cast<std::uint32_t>(first_document + d));
          band_index.push_back(band);
          band_keys.push_back(detail::band_key(sketch.values().data(), band, banding.rows));
        }
      if (!features) continue;
      for (const auto& sentence : prepared.sentences) {
        span_begin.push_back(sentence.span.begin);
        span_end.push_back(sentence.span.end);
        grams.insert(grams.end(), sentence.grams.begin(), sentence.grams.end());
        gram_offsets.push_back(grams.size());
        anchors.insert(anchors.end(), sentence.anchors.begin(), sentence.anchors.end());
        anchor_offsets.push_back(anchors.size());
      }
      sentence_offsets.push_back(span_begin.size());
    }
  }
  py::dict result;
  result["lang"] = langs;
  result["script"] = scripts;
  result["script_id"] = to_array(std::move(script_ids));
  result["script_share"] = to_array(std::move(script_share));
  result["boilerplate_lines"] = to_array(std::move(boilerplate_lines));
  result["content_words"] = to_array(std::move(content_words));
  result["text_bytes"] = to_array(std::move(text_bytes));
  result["title"] = titles;
  result["headline"] = headlines;
  result["exact_hash"] = to_array(std::move(exact));
  result["shingle_offsets"] = to_array(std::move(shingle_offsets));
  result["shingles"] = to_array(std::move(shingles));
  result["shingle_sentences"] = to_array(std::move(shingle_sentences));
  result["band_doc"] = to_array(std::move(band_doc));
  result["band"] = to_array(std::move(band_index));
  result["band_key"] = to_array(std::move(band_keys));
  if (minhash_values) {
    auto values = to_array(std::move(minhashes));
    result["minhash"] = values.reshape({static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(options.minhash.k)});
  }
  if (features) {
    result["sentence_offsets"] = to_array(std::move(sentence_offsets));
    result["span_begin"] = to_array(std::move(span_begin));
    result["span_end"] = to_array(std::move(span_end));
    result["gram_offsets"] = to_array(std::move(gram_offsets));
    result["grams"] = to_array(std::move(grams));
    result["anchor_offsets"] = to_array(std::move(anchor_offsets));
    result["anchors"] = to_array(std::move(anchors));
  }
  return result;
}

// Rows grouped by equal (first, second) key, in runs; calls visit(begin, end) for each run of
// two or more.
template <class Visit>
void for_each_group(std::vector<std::size_t>& order, const std::uint64_t* key, const std::uint32_t* band, Visit&& visit) {
  auto less = [&](std::size_t x, std::size_t y) {
    return key[x] != key[y] ? key[x] < key[y] : (band != nullptr && band[x] < band[y]);
  };
  auto same = [&](std::size_t x, std::size_t y) { return key[x] == key[y] && (band == nullptr || band[x] == band[y]); };
  std::sort(order.begin(), order.end(), less);
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i + 1;
    while (j < order.size() && same(order[i], order[j])) ++j;
    if (j - i >= 2) visit(i, j);
    i = j;
  }
}

py::tuple pairs_array(std::vector<std::pair<std::uint32_t, std::uint32_t>>& pairs) {
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  std::vector<std::uint32_t> a(pairs.size()), b(pairs.size());
  for (std::size_t i = 0; i < pairs.size(); ++i) a[i] = pairs[i].first, b[i] = pairs[i].second;
  return py::make_tuple(to_array(std::move(a)), to_array(std::move(b)));
}

// The pairs (a < b) of documents sharing a key, once, sorted: the reduce side of the shuffle.
// With bands, keys are band keys and each bucket's couples are the command's
// (detail::for_each_bucket_couple); without, keys are exact-text hashes and each group of copies
// is a star on its first document, or every couple with all_pairs, as the command reports them.
py::tuple key_pairs(const U64& keys, const U32& docs, const std::optional<U32>& bands, bool all_pairs) {
  if (keys.size() != docs.size() || (bands && bands->size() != keys.size()))
    throw Error(ErrorCode::usage, "key_pairs: keys, docs and bands must have one length");
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  {
    py::gil_scoped_release release;
    std::vector<std::size_t> order(static_cast<std::size_t>(keys.size()));
    std::iota(order.begin(), order.end(), std::size_t{0});
    const std::uint32_t* doc = docs.data();
    std::vector<std::uint32_t> group;
    for_each_group(order, keys.data(), bands ? bands->data() : nullptr, [&](std::size_t begin, std::size_t end) {
      group.clear();
      for (std::size_t i = begin; i < end; ++i) group.push_back(doc[order[i]]);
      std::sort(group.begin(), group.end());
      group.erase(std::unique(group.begin(), group.end()), group.end());
      if (bands) {
        detail::for_each_bucket_couple(group.size(), [&](std::size_t i, std::size_t j) { pairs.emplace_back(group[i], group[j]); });
      } else {
        detail::for_each_group_pair(group, all_pairs, [&](std::uint32_t a, std::uint32_t b) { pairs.emplace_back(a, b); });
      }
    });
  }
  return pairs_array(pairs);
}

// The near-duplicate decision (detail::near_duplicate_score) on pairs of documents' word
// shingles: row rows_a[i] of (offsets_a, values_a, sentences_a) with row rows_b[i] of
// (offsets_b, values_b, sentences_b), as sketch() gives them (shingle_offsets, shingles,
// shingle_sentences). The score of each pair that is a near-duplicate, 0 for the others.
py::array_t<double> near_duplicate_scores(const U64& offsets_a, const U64& values_a, const U32& sentences_a, const U32& rows_a,
                                          const U64& offsets_b, const U64& values_b, const U32& sentences_b, const U32& rows_b,
                                          double threshold, const std::string& measure) {
  if (!(threshold > 0.0 && threshold <= 1.0)) throw Error(ErrorCode::usage, "threshold must be in (0, 1]");
  if (rows_a.size() != rows_b.size()) throw Error(ErrorCode::usage, "near_duplicate_scores: rows_a and rows_b must have one length");
  if (sentences_a.size() != values_a.size() || sentences_b.size() != values_b.size())
    throw Error(ErrorCode::usage, "near_duplicate_scores: one sentence per shingle (sketch's shingle_sentences)");
  detail::DuplicateOptions options = detail::duplicate_options({});
  options.threshold = threshold;
  options.measure = measure_of(measure);
  std::vector<double> result(static_cast<std::size_t>(rows_a.size()));
  {
    py::gil_scoped_release release;
    detail::WordShingles a, b;
    const auto take = [](const U64& offsets, const U64& values, const U32& sentences, std::uint32_t row, detail::WordShingles& out) {
      if (row + 1 >= static_cast<std::size_t>(offsets.size())) throw Error(ErrorCode::usage, "near_duplicate_scores: row out of range");
      const std::uint64_t begin = offsets.data()[row], end = offsets.data()[row + 1];
      out.hashes.assign(values.data() + begin, values.data() + end);
      out.sentences.assign(sentences.data() + begin, sentences.data() + end);
    };
    for (std::size_t i = 0; i < result.size(); ++i) {
      take(offsets_a, values_a, sentences_a, rows_a.data()[i], a);
      take(offsets_b, values_b, sentences_b, rows_b.data()[i], b);
      result[i] = detail::near_duplicate_score(a, b, options).value_or(0.0);
    }
  }
  return to_array(std::move(result));
}

// The features of documents that translations are sought among (sketch(features=True) rows).
std::vector<detail::PreparedDocument> prepared_from(const std::vector<std::string>& langs, const U8& script_ids,
                                                    const U64& sentence_offsets, const U32& span_begin, const U32& span_end,
                                                    const U64& gram_offsets, const U64& grams, const U64& anchor_offsets,
                                                    const U64& anchors) {
  const std::size_t n = langs.size();
  if (static_cast<std::size_t>(script_ids.size()) != n || static_cast<std::size_t>(sentence_offsets.size()) != n + 1)
    throw Error(ErrorCode::usage, "translation features: one lang, script and sentence offset per document");
  std::vector<detail::PreparedDocument> documents(n);
  for (std::size_t d = 0; d < n; ++d) {
    documents[d].lang = langs[d];
    documents[d].script = static_cast<detail::Script>(script_ids.data()[d]);
    for (std::uint64_t s = sentence_offsets.data()[d]; s < sentence_offsets.data()[d + 1]; ++s) {
      detail::SentenceFeatures sentence;
      sentence.span = {span_begin.data()[s], span_end.data()[s]};
      sentence.grams.assign(grams.data() + gram_offsets.data()[s], grams.data() + gram_offsets.data()[s + 1]);
      sentence.anchors.assign(anchors.data() + anchor_offsets.data()[s], anchors.data() + anchor_offsets.data()[s + 1]);
      documents[d].sentences.push_back(std::move(sentence));
    }
  }
  return documents;
}

std::vector<detail::PreparedDocument> prepared_from(const py::dict& features) {
  return prepared_from(features["lang"].cast<std::vector<std::string>>(), features["script_id"].cast<U8>(),
                       features["sentence_offsets"].cast<U64>(), features["span_begin"].cast<U32>(),
                       features["span_end"].cast<U32>(), features["gram_offsets"].cast<U64>(), features["grams"].cast<U64>(),
                       features["anchor_offsets"].cast<U64>(), features["anchors"].cast<U64>());
}

// Translation links among the representatives of duplicate groups: the model's scoring, story
// support and one-to-one linking of the command, over compact features (no texts). members are
// the other documents of the groups (global indices), member_of their representatives', with
// their features in member_features: every pair of two linked groups' members is reported, as
// the command reports it. Returns the links as arrays: (a, b) global, probability and signals,
// the shared anchors (rarest first), and per link its member pairs in CSR form (pair_offsets),
// each with its coverage and aligned sentences' spans (sentence_offsets).
py::dict score_translations(const U32& global, const py::dict& features, bool one_to_one, double threshold, unsigned threads,
                            const U32& members, const U32& member_of, const std::optional<py::dict>& member_features) {
  const auto documents = prepared_from(features);
  if (static_cast<std::size_t>(global.size()) != documents.size())
    throw Error(ErrorCode::usage, "score_translations: one global index per document");
  const auto member_documents = member_features ? prepared_from(*member_features) : std::vector<detail::PreparedDocument>{};
  if (member_of.size() != members.size() || member_documents.size() != static_cast<std::size_t>(members.size()))
    throw Error(ErrorCode::usage, "score_translations: one representative and one set of features per member");
  std::vector<std::uint32_t> a, b, pair_a, pair_b, sa_begin, sa_end, sb_begin, sb_end;
  std::vector<double> probability, raw, margin, coverage_a, coverage_b, similarity;
  std::vector<std::uint64_t> anchor_offsets{0}, anchors, pair_offsets{0}, sentence_offsets{0};
  {
    py::gil_scoped_release release;
    std::vector<const detail::PreparedDocument*> pointers;
    for (const auto& document : documents) pointers.push_back(&document);
    // A group's documents, its representative first: (global index, features).
    std::unordered_map<std::uint32_t, std::vector<std::pair<std::uint32_t, const detail::PreparedDocument*>>> groups;
    for (std::size_t d = 0; d < documents.size(); ++d) groups[global.data()[d]].emplace_back(global.data()[d], &documents[d]);
    for (py::ssize_t m = 0; m < members.size(); ++m) {
      const auto group = groups.find(member_of.data()[m]);
      if (group == groups.end()) throw Error(ErrorCode::usage, "score_translations: a member of a group whose representative is not given");
      group->second.emplace_back(members.data()[m], &member_documents[static_cast<std::size_t>(m)]);
    }
    // The distributed run does not yet find same-story pairs: each document is its own group.
    PipelineOptions pipeline;
    pipeline.find_same_story = false;
    pipeline.one_to_one = one_to_one;
    pipeline.translation_threshold = threshold;
    const detail::StoryScorer scorer(pointers, threads);
    const auto links = detail::link_stories(scorer, pointers, detail::story_link_options(pipeline)).translations;
    for (const auto& link : links) {
      a.push_back(global.data()[link.a]);
      b.push_back(global.data()[link.b]);
      probability.push_back(link.probability);
      raw.push_back(link.signals.raw);
      margin.push_back(link.signals.margin);
      anchors.insert(anchors.end(), link.shared_anchors.begin(), link.shared_anchors.end());
      anchor_offsets.push_back(anchors.size());
      for (const auto& [member_a, document_a] : groups.at(a.back()))
        for (const auto& [member_b, document_b] : groups.at(b.back())) {
          const auto alignment = detail::member_alignment(scorer, link, documents[link.a], documents[link.b], *document_a, *document_b);
          pair_a.push_back(member_a);
          pair_b.push_back(member_b);
          coverage_a.push_back(alignment.coverage_a);
          coverage_b.push_back(alignment.coverage_b);
          for (const auto& sentence : detail::aligned_sentences(alignment, *document_a, *document_b)) {
            sa_begin.push_back(sentence.a.begin);
            sa_end.push_back(sentence.a.end);
            sb_begin.push_back(sentence.b.begin);
            sb_end.push_back(sentence.b.end);
            similarity.push_back(sentence.similarity);
          }
          sentence_offsets.push_back(similarity.size());
        }
      pair_offsets.push_back(pair_a.size());
    }
  }
  py::dict result;
  result["a"] = to_array(std::move(a));
  result["b"] = to_array(std::move(b));
  result["probability"] = to_array(std::move(probability));
  result["raw"] = to_array(std::move(raw));
  result["margin"] = to_array(std::move(margin));
  result["anchor_offsets"] = to_array(std::move(anchor_offsets));
  result["anchors"] = to_array(std::move(anchors));
  result["pair_offsets"] = to_array(std::move(pair_offsets));
  result["pair_a"] = to_array(std::move(pair_a));
  result["pair_b"] = to_array(std::move(pair_b));
  result["coverage_a"] = to_array(std::move(coverage_a));
  result["coverage_b"] = to_array(std::move(coverage_b));
  result["sentence_offsets"] = to_array(std::move(sentence_offsets));
  result["sa_begin"] = to_array(std::move(sa_begin));
  result["sa_end"] = to_array(std::move(sa_end));
  result["sb_begin"] = to_array(std::move(sb_begin));
  result["sb_end"] = to_array(std::move(sb_end));
  result["similarity"] = to_array(std::move(similarity));
  return result;
}

// Duplicate pairs and translation links over a whole corpus, as analyse() assembles them, for
// the outputs: every document's id, language and title, no texts.
struct CorpusPairs {
  Analysis analysis;
};

std::shared_ptr<CorpusPairs> assemble(const std::vector<std::string>& ids, const std::vector<std::string>& langs,
                                      const std::vector<std::string>& titles, const U32& dup_a, const U32& dup_b,
                                      const U8& dup_exact, const F64& dup_score, const std::optional<py::dict>& links,
                                      const std::map<std::uint32_t, std::unordered_map<std::uint64_t, std::string>>& spellings,
                                      const std::vector<std::string>& scripts, const std::vector<std::string>& headlines) {
  const std::size_t n = ids.size();
  if (langs.size() != n || titles.size() != n) throw Error(ErrorCode::usage, "assemble: one id, lang and title per document");
  if (!scripts.empty() && scripts.size() != n) throw Error(ErrorCode::usage, "assemble: one script per document, or none");
  if (!headlines.empty() && headlines.size() != n) throw Error(ErrorCode::usage, "assemble: one headline per document, or none");
  if (dup_b.size() != dup_a.size() || dup_exact.size() != dup_a.size() || dup_score.size() != dup_a.size())
    throw Error(ErrorCode::usage, "assemble: dup_a, dup_b, dup_exact and dup_score must have one length");
  auto result = std::make_shared<CorpusPairs>();
  Analysis& analysis = result->analysis;
  analysis.documents.resize(n);
  analysis.info.resize(n);
  for (std::size_t d = 0; d < n; ++d) {
    analysis.documents[d].id = ids[d];
    analysis.info[d].lang = langs[d];
    analysis.info[d].title = titles[d];
    if (!scripts.empty()) analysis.info[d].script = scripts[d];
    if (!headlines.empty()) analysis.info[d].headline = headlines[d];
  }
  detail::DisjointSets groups(static_cast<std::uint32_t>(n));
  for (py::ssize_t i = 0; i < dup_a.size(); ++i) {
    const std::uint32_t a = dup_a.data()[i], b = dup_b.data()[i];
    if (a >= n || b >= n) throw Error(ErrorCode::usage, "assemble: duplicate pair out of range");
    analysis.pairs.push_back({a, b, dup_exact.data()[i] ? Relation::exact_duplicate : Relation::near_duplicate, dup_score.data()[i], {}});
    groups.join(a, b);
  }
  if (links) {
    const auto& l = *links;
    const auto link_a = l["a"].cast<U32>(), link_b = l["b"].cast<U32>();
    const auto probability = l["probability"].cast<F64>(), raw = l["raw"].cast<F64>(), margin = l["margin"].cast<F64>(),
               coverage_a = l["coverage_a"].cast<F64>(), coverage_b = l["coverage_b"].cast<F64>(), similarity = l["similarity"].cast<F64>();
    const auto anchor_offsets = l["anchor_offsets"].cast<U64>(), anchors = l["anchors"].cast<U64>(),
               pair_offsets = l["pair_offsets"].cast<U64>(), sentence_offsets = l["sentence_offsets"].cast<U64>();
    const auto pair_a = l["pair_a"].cast<U32>(), pair_b = l["pair_b"].cast<U32>(), sa_begin = l["sa_begin"].cast<U32>(),
               sa_end = l["sa_end"].cast<U32>(), sb_begin = l["sb_begin"].cast<U32>(), sb_end = l["sb_end"].cast<U32>();
    const std::unordered_map<std::uint64_t, std::string> no_spellings;
    for (py::ssize_t k = 0; k < link_a.size(); ++k) {
      const std::uint32_t group_a = link_a.data()[k], group_b = link_b.data()[k];
      if (group_a >= n || group_b >= n || groups.find(group_a) != group_a || groups.find(group_b) != group_b)
        throw Error(ErrorCode::usage, "assemble: a translation link between documents that do not represent their groups");
      detail::PairSignals signals;
      signals.raw = raw.data()[k];
      signals.margin = margin.data()[k];
      const std::span<const std::uint64_t> cited_anchors(anchors.data() + anchor_offsets.data()[k],
                                                         anchor_offsets.data()[k + 1] - anchor_offsets.data()[k]);
      for (std::uint64_t p = pair_offsets.data()[k]; p < pair_offsets.data()[k + 1]; ++p) {
        const std::uint32_t a = pair_a.data()[p], b = pair_b.data()[p];
        if (a >= n || b >= n || groups.find(a) != group_a || groups.find(b) != group_b)
          throw Error(ErrorCode::usage, "assemble: a link's member pair outside its groups");
        std::vector<AlignedSentence> aligned;
        for (std::uint64_t i = sentence_offsets.data()[p]; i < sentence_offsets.data()[p + 1]; ++i)
          aligned.push_back({{sa_begin.data()[i], sa_end.data()[i]}, {sb_begin.data()[i], sb_end.data()[i]}, similarity.data()[i]});
        const auto cited = spellings.find(a);
        analysis.pairs.push_back({std::min(a, b), std::max(a, b), Relation::translation, probability.data()[k],
                                  detail::translation_evidence(signals, coverage_a.data()[p], coverage_b.data()[p], cited_anchors,
                                                               cited == spellings.end() ? no_spellings : cited->second,
                                                               aligned, a > b)});
      }
    }
  }
  std::sort(analysis.pairs.begin(), analysis.pairs.end(),
            [](const Pair& x, const Pair& y) { return std::pair(x.a, x.b) < std::pair(y.a, y.b); });
  return result;
}

std::map<std::uint32_t, std::map<std::uint64_t, std::string>> spellings_of(const Batch& batch, const U32& rows,
                                                                           std::uint64_t first_document,
                                                                           const U64& boilerplate_array) {
  std::map<std::uint32_t, std::map<std::uint64_t, std::string>> result;
  const auto boilerplate_view = view<std::uint64_t>(boilerplate_array);
  const std::unordered_set<std::uint64_t> boilerplate(boilerplate_view.begin(), boilerplate_view.end());
  for (std::uint32_t row : view<std::uint32_t>(rows)) {
    if (row >= batch.documents.size()) throw Error(ErrorCode::usage, "anchor_spellings: row out of range");
    const Document& document = batch.documents[row];
    const auto spellings = detail::anchor_spellings(document, detail::normalised_lines(document.text), boilerplate);
    result[static_cast<std::uint32_t>(first_document + row)] = {spellings.begin(), spellings.end()};
  }
  return result;
}

std::string write_to_string(const std::function<void(std::ostream&)>& write) {
  std::ostringstream out;
  write(out);
  return std::move(out).str();
}

py::bytes clusters_jsonl(const CorpusPairs& corpus) {
  std::string text;
  {
    py::gil_scoped_release release;
    const auto clusters = cluster_stories(corpus.analysis);
    text = write_to_string([&](std::ostream& out) { write_clusters(out, corpus.analysis, clusters); });
  }
  return py::bytes(text);
}

KeepPolicy keep_policy(const std::string& keep) {
  if (keep == "first") return KeepPolicy::first;
  if (keep == "longest") return KeepPolicy::longest;
  throw Error(ErrorCode::usage, "keep must be first or longest, not " + keep);
}

// deduplicate() over the documents that have a duplicate (the others are kept whatever the
// policy): every document of the corpus is accounted for, while only those of the duplicate
// graph are held. Returns (removed, duplicate_of, exact, score) in global indices.
py::tuple deduplicate_pairs(const U32& dup_a, const U32& dup_b, const U8& dup_exact, const F64& dup_score, const U32& lengths,
                            const std::string& keep) {
  const KeepPolicy policy = keep_policy(keep);
  std::vector<std::uint32_t> removed, duplicate_of;
  std::vector<std::uint8_t> exact;
  std::vector<double> score;
  {
    py::gil_scoped_release release;
    std::vector<std::uint32_t> members(view<std::uint32_t>(dup_a).begin(), view<std::uint32_t>(dup_a).end());
    members.insert(members.end(), dup_b.data(), dup_b.data() + dup_b.size());
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
    auto local = [&](std::uint32_t d) {
      return static_cast<std::uint32_t>(std::lower_bound(members.begin(), members.end(), d) - members.begin());
    };
    Analysis analysis;
    analysis.documents.resize(members.size());
    if (policy == KeepPolicy::longest)
      for (std::size_t m = 0; m < members.size(); ++m) {
        if (members[m] >= static_cast<std::size_t>(lengths.size())) throw Error(ErrorCode::usage, "deduplicate: no length for a document");
        analysis.documents[m].text.assign(lengths.data()[members[m]], ' ');
      }
    for (py::ssize_t i = 0; i < dup_a.size(); ++i)
      analysis.pairs.push_back({local(dup_a.data()[i]), local(dup_b.data()[i]),
                                dup_exact.data()[i] ? Relation::exact_duplicate : Relation::near_duplicate, dup_score.data()[i], {}});
    std::sort(analysis.pairs.begin(), analysis.pairs.end(),
              [](const Pair& x, const Pair& y) { return std::pair(x.a, x.b) < std::pair(y.a, y.b); });
    for (const Removal& removal : deduplicate(analysis, policy).removed) {
      removed.push_back(members[removal.removed]);
      duplicate_of.push_back(members[removal.duplicate_of]);
      exact.push_back(removal.relation == Relation::exact_duplicate);
      score.push_back(removal.score);
    }
  }
  return py::make_tuple(to_array(std::move(removed)), to_array(std::move(duplicate_of)), to_array(std::move(exact)),
                        to_array(std::move(score)));
}

py::bytes removed_jsonl(const std::vector<std::string>& removed_ids, const std::vector<std::string>& duplicate_of_ids,
                        const U8& exact, const F64& score) {
  const std::size_t n = removed_ids.size();
  if (duplicate_of_ids.size() != n || static_cast<std::size_t>(exact.size()) != n || static_cast<std::size_t>(score.size()) != n)
    throw Error(ErrorCode::usage, "removed_jsonl: one id, duplicate, relation and score per removal");
  Analysis analysis;
  DedupResult result;
  for (std::size_t i = 0; i < n; ++i) {
    analysis.documents.emplace_back().id = removed_ids[i];
    analysis.documents.emplace_back().id = duplicate_of_ids[i];
    result.removed.push_back({static_cast<std::uint32_t>(2 * i), static_cast<std::uint32_t>(2 * i + 1),
                              exact.data()[i] ? Relation::exact_duplicate : Relation::near_duplicate, score.data()[i], {}});
  }
  return py::bytes(write_to_string([&](std::ostream& out) { write_removed(out, analysis, result); }));
}

// The kept documents of a batch (rows ascending), as the command writes them.
py::bytes kept_jsonl(Batch& batch, const U32& rows) {
  std::string text;
  {
    py::gil_scoped_release release;
    Analysis analysis;
    analysis.documents.swap(batch.documents);
    DedupResult result;
    result.kept.assign(rows.data(), rows.data() + rows.size());
    const bool in_range = std::all_of(result.kept.begin(), result.kept.end(),
                                      [&](std::uint32_t row) { return row < analysis.documents.size(); });
    if (in_range) text = write_to_string([&](std::ostream& out) { write_kept(out, analysis, result, batch.fields); });
    analysis.documents.swap(batch.documents);
    if (!in_range) throw Error(ErrorCode::usage, "kept_jsonl: row out of range");
  }
  return py::bytes(text);
}

// The index's result types, as named tuples: fields by name for readers, and tuples still for
// code that unpacks them. Made once, when the module is imported (make_result_types).
struct ResultTypes {
  py::object match, add_result, index_stats;
};
ResultTypes& result_types() {
  // Never destroyed: a static py::object would be released after the interpreter is finalised.
  static auto* const types = new ResultTypes;
  return *types;
}

py::object named_tuple(py::module_& m, const char* name, const char* fields, const char* doc) {
  py::object type = py::module_::import("collections").attr("namedtuple")(name, fields);
  type.attr("__module__") = "neardup";
  type.attr("__doc__") = doc;
  m.attr(name) = type;
  return type;
}

void make_result_types(py::module_& m) {
  auto& types = result_types();
  types.match = named_tuple(m, "Match", "id relation score",
      "An indexed document related to the text asked about. relation: 'exact-duplicate' (score 1), "
      "'near-duplicate' (score: estimated word-shingle Jaccard) or 'translation' (score: the model's probability).");
  types.add_result = named_tuple(m, "AddResult", "added matches",
      "What add_if_new did: added (bool), and matches (list of Match) as query() returns them.");
  types.index_stats = named_tuple(m, "IndexStats", "documents bytes_on_disk bytes_in_memory log_records recovery",
      "The index's size: live documents, bytes of snapshot + log, an estimate of the bytes it holds in "
      "memory, and the log records written since the last checkpoint; recovery: what opening it repaired or "
      "ignored, a dict of torn_offset and torn_bytes (the torn end of the log after a crash; 0 bytes when it "
      "ended whole), stale_log (bool), removed_files (list) and message ('' when there was nothing).");
}

py::list matches_list(const std::vector<Match>& matches) {
  py::list list;
  for (const auto& match : matches)
    list.append(result_types().match(match.id, std::string(relation_name(match.relation)), match.score));
  return list;
}

// The Python object of a PersistentIndex. close() (and leaving a with block) lets go of the index,
// its files and its lock at once, where dropping the object waits for its last reference. The
// mutex keeps close() from freeing the index under a call that runs on another thread with the
// GIL released: calls hold it shared, close() exclusively, always taken after releasing the GIL.
struct IndexHandle {
  std::optional<PersistentIndex> index;
  mutable std::shared_mutex mutex;
};

template <typename Body>
auto with_index(const IndexHandle& handle, Body&& body) {
  py::gil_scoped_release release;
  std::shared_lock lock(handle.mutex);
  if (!handle.index) throw Error(ErrorCode::usage, "the PersistentIndex is closed; open it again with PersistentIndex.open");
  return body(const_cast<PersistentIndex&>(*handle.index));
}

std::vector<Document> documents_of(const std::vector<std::string>& ids, const std::vector<std::string>& texts,
                                   const std::optional<std::vector<std::string>>& langs) {
  if (texts.size() != ids.size() || (langs && langs->size() != ids.size()))
    throw Error(ErrorCode::usage, "one id, text (and lang) per document");
  std::vector<Document> documents(ids.size());
  for (std::size_t d = 0; d < ids.size(); ++d) {
    documents[d].id = ids[d];
    documents[d].text = texts[d];
    if (langs) documents[d].lang = (*langs)[d];
  }
  return documents;
}

}  // namespace
}  // namespace neardup::python

PYBIND11_MODULE(_core, m) {
  using namespace neardup;
  using namespace neardup::python;
  m.doc() = "neardup's C++ engine in batches (see neardup/__init__.py)";

  // One Python class per ErrorCode, all under neardup.Error (a RuntimeError), so that a caller
  // catches the one it can act on. Created once and kept for the life of the interpreter.
  static PyObject* const error = PyErr_NewExceptionWithDoc(
      "neardup.Error", "An error of neardup's engine; its message says what is wrong and what to do.", PyExc_RuntimeError, nullptr);
  m.add_object("Error", py::handle(error));
  struct Typed {
    ErrorCode code;
    const char* name;
    const char* doc;
  };
  static const Typed typed[] = {
      {ErrorCode::bad_input, "InputError", "Malformed input; .file and .line locate it when it comes from a file (else None)."},
      {ErrorCode::io, "FileError", "A file cannot be opened, read or written, or the index is open elsewhere."},
      {ErrorCode::usage, "UsageError", "An option or parameter is out of range, or the object is closed."},
      {ErrorCode::incompatible_sketch, "IncompatibleSketchError", "Sketches with different parameters were compared."},
      {ErrorCode::corrupt_index, "CorruptIndexError", "An index file is damaged; the message names the file and offset."},
      {ErrorCode::incompatible_index, "IncompatibleIndexError", "The index was built with another spec or another transliteration."},
      {ErrorCode::newer_format, "NewerFormatError", "An index file was written by a newer version of neardup."},
      {ErrorCode::id_conflict, "IdConflictError", "add_if_new of an id indexed with another text: add() replaces it, remove() forgets it."},
  };
  static std::map<ErrorCode, PyObject*> error_types;
  for (const auto& type : typed) {
    PyObject* created = PyErr_NewExceptionWithDoc((std::string("neardup.") + type.name).c_str(), type.doc, error, nullptr);
    m.add_object(type.name, py::handle(created));
    error_types[type.code] = created;
  }
  py::handle(error_types.at(ErrorCode::bad_input)).attr("file") = py::none();
  py::handle(error_types.at(ErrorCode::bad_input)).attr("line") = py::none();
  py::register_exception_translator([](std::exception_ptr pointer) {
    try {
      if (pointer) std::rethrow_exception(pointer);
    } catch (const Error& e) {
      const auto found = error_types.find(e.code());
      py::handle type(found == error_types.end() ? error : found->second);
      py::object instance = type(e.what());
      instance.attr("code") = static_cast<int>(e.code());
      if (const auto* located = dynamic_cast<const InputError*>(&e)) {
        instance.attr("file") = located->file();
        instance.attr("line") = located->line();
      }
      PyErr_SetObject(type.ptr(), instance.ptr());
    }
  });
  make_result_types(m);

  py::class_<Batch, std::shared_ptr<Batch>>(m, "Batch", "documents as read, held by the engine")
      .def(py::init([](const std::vector<std::string>& ids, const std::vector<std::string>& texts,
                       const std::optional<std::vector<std::string>>& langs) {
             return Batch{documents_of(ids, texts, langs), {}, {}, {}};
           }),
           py::arg("ids"), py::arg("texts"), py::arg("langs") = py::none())
      .def("__len__", [](const Batch& batch) { return batch.documents.size(); })
      .def_property_readonly("nbytes", [](const Batch& batch) {
        std::size_t bytes = sizeof(Batch);
        for (const auto& d : batch.documents)
          bytes += sizeof(Document) + d.id.size() + d.text.size() + d.lang.size() + d.extra.size() + d.source.size() + d.original_line.size();
        return bytes;
      }, "the documents' size in memory, about")
      .def_property_readonly("ids", [](const Batch& batch) {
        std::vector<std::string> ids;
        for (const auto& document : batch.documents) ids.push_back(document.id);
        return ids;
      })
      .def_property_readonly("locations", [](const Batch& batch) {
        std::vector<std::pair<std::string, std::uint64_t>> locations;
        for (const auto& document : batch.documents) locations.emplace_back(document.source, document.line);
        return locations;
      })
      .def_property_readonly("rejected", [](const Batch& batch) {
        std::vector<std::tuple<std::string, std::uint64_t, std::string, std::string>> rejected;
        for (const auto& r : batch.rejected) rejected.emplace_back(r.source, r.line, r.id, r.reason);
        return rejected;
      })
      .def_property_readonly("warnings", [](const Batch& batch) {
        std::vector<std::tuple<std::string, std::uint64_t, std::string, std::string>> warnings;
        for (const auto& w : batch.warnings) warnings.emplace_back(w.source, w.line, w.id, w.message);
        return warnings;
      })
      .def("without", [](const Batch& batch, const std::vector<std::uint32_t>& rows) {
        Batch kept{{}, batch.rejected, batch.warnings, batch.fields};
        std::unordered_set<std::uint32_t> drop(rows.begin(), rows.end());
        for (std::uint32_t d = 0; d < batch.documents.size(); ++d)
          if (drop.count(d) == 0) kept.documents.push_back(batch.documents[d]);
        return kept;
      }, "a copy without the given rows")
      .def(py::pickle(
          [](const Batch& batch) {
            py::list documents;
            for (const auto& d : batch.documents)
              documents.append(py::make_tuple(py::bytes(d.id), py::bytes(d.text), py::bytes(d.lang), py::bytes(d.extra),
                                              py::bytes(d.source), d.line, py::bytes(d.original_line)));
            py::list rejected, warnings;
            for (const auto& r : batch.rejected) rejected.append(py::make_tuple(r.source, r.line, r.id, r.reason, py::bytes(r.raw)));
            for (const auto& w : batch.warnings) warnings.append(py::make_tuple(w.source, w.line, w.id, w.message));
            const FieldNames& f = batch.fields;
            return py::make_tuple(documents, rejected, warnings, py::make_tuple(f.id, f.text, f.lang));
          },
          [](const py::tuple& state) {
            Batch batch;
            for (const auto& item : state[0].cast<py::list>()) {
              const auto t = item.cast<py::tuple>();
              batch.documents.push_back({t[0].cast<std::string>(), t[1].cast<std::string>(), t[2].cast<std::string>(),
                                         t[3].cast<std::string>(), t[4].cast<std::string>(), t[5].cast<std::uint64_t>(),
                                         t[6].cast<std::string>()});
            }
            for (const auto& item : state[1].cast<py::list>()) {
              const auto t = item.cast<py::tuple>();
              batch.rejected.push_back({t[0].cast<std::string>(), t[1].cast<std::uint64_t>(), t[2].cast<std::string>(), t[3].cast<std::string>(), t[4].cast<std::string>()});
            }
            for (const auto& item : state[2].cast<py::list>()) {
              const auto t = item.cast<py::tuple>();
              batch.warnings.push_back({t[0].cast<std::string>(), t[1].cast<std::uint64_t>(), t[2].cast<std::string>(), t[3].cast<std::string>()});
            }
            const auto f = state[3].cast<py::tuple>();
            batch.fields = {f[0].cast<std::string>(), f[1].cast<std::string>(), f[2].cast<std::string>()};
            return batch;
          }));

  m.def("read", [](const std::vector<std::string>& paths, const std::string& on_error, const std::string& text_field,
                   const std::string& id_field, const std::string& lang_field, bool keep_lines) {
        const ReadOptions options = read_options_of(on_error, text_field, id_field, lang_field, keep_lines);
        py::gil_scoped_release release;
        return batch_of(read_inputs(paths, options), options.fields);
      }, py::arg("paths"), py::arg("on_error") = "fail", py::arg("text_field") = "text", py::arg("id_field") = "id",
      py::arg("lang_field") = "lang", py::arg("keep_lines") = false,
      "read files and folders as the command reads them (gzip and zstd too); fields are named or dotted paths (meta.lang); "
      "keep_lines keeps each JSON line to write kept lines unchanged");
  m.def("read_jsonl_range", [](const std::string& path, std::uint64_t begin, std::uint64_t end, std::uint64_t first_line,
                               const std::string& on_error, const std::string& text_field, const std::string& id_field,
                               const std::string& lang_field, bool keep_lines) {
        const ReadOptions options = read_options_of(on_error, text_field, id_field, lang_field, keep_lines);
        py::gil_scoped_release release;
        return read_jsonl_range(path, begin, end, first_line, options);
      }, py::arg("path"), py::arg("begin"), py::arg("end"), py::arg("first_line"), py::arg("on_error") = "fail",
      py::arg("text_field") = "text", py::arg("id_field") = "id", py::arg("lang_field") = "lang", py::arg("keep_lines") = false);

  m.def("line_counts", &line_counts, py::arg("batch"),
        "(hashes, stories, counts) of the lines short enough to be boilerplate, by line and story signature");
  m.def("merge_line_counts", &merge_line_counts, py::arg("hashes"), py::arg("stories"), py::arg("counts"),
        "line counts of several partitions (concatenated) summed by line and story signature, as (hashes, stories, counts)");
  m.def("boilerplate", &boilerplate_of, py::arg("hashes"), py::arg("stories"), py::arg("counts"),
        "the boilerplate line hashes among every partition's line_counts (concatenated): short lines that recur across stories");
  m.def("sketch", [](const Batch& batch, const U64& boilerplate, std::uint64_t first_document, bool features, bool languages,
                     bool minhash_values, std::uint32_t word_shingle, double threshold, const std::string& measure, std::uint32_t k,
                     std::uint64_t seed) {
        if (!(threshold > 0.0 && threshold <= 1.0)) throw Error(ErrorCode::usage, "threshold must be in (0, 1]");
        if (features && !languages) throw Error(ErrorCode::usage, "features need languages: translations are scored by language pair");
        if (word_shingle == 0 || k == 0) throw Error(ErrorCode::usage, "word_shingle and k must be at least 1");
        SketchOptions options;
        options.word_shingle = word_shingle;
        options.threshold = threshold;
        options.measure = measure_of(measure);
        options.minhash.k = k;
        options.minhash.seed = seed;
        return sketch(batch, boilerplate, first_document, features, languages, minhash_values, options);
      }, py::arg("batch"), py::arg("boilerplate"), py::arg("first_document") = 0, py::arg("features") = false,
      py::arg("languages") = true, py::arg("minhash") = false, py::arg("word_shingle") = 3, py::arg("threshold") = 0.5,
      py::arg("measure") = "containment", py::arg("k") = MinHashParams{}.k,
      py::arg("seed") = MinHashParams{}.seed);
  m.def("key_pairs", &key_pairs, py::arg("keys"), py::arg("docs"), py::arg("bands") = py::none(), py::arg("all_pairs") = false);
  m.def("near_duplicate_scores", &near_duplicate_scores, py::arg("offsets_a"), py::arg("values_a"), py::arg("sentences_a"),
        py::arg("rows_a"), py::arg("offsets_b"), py::arg("values_b"), py::arg("sentences_b"), py::arg("rows_b"),
        py::arg("threshold") = PipelineOptions{}.near_duplicate_threshold, py::arg("measure") = "containment");

  m.def("score_translations", &score_translations, py::arg("documents"), py::arg("features"), py::arg("one_to_one") = true,
        py::arg("threshold") = 0.0, py::arg("threads") = 0, py::arg("members") = U32(0), py::arg("member_of") = U32(0),
        py::arg("member_features") = py::none(),
        "translation links among the representatives of duplicate groups (their global indices and sketch features), "
        "with the alignment of every pair of the linked groups' members (members: global indices, member_of: their "
        "representatives', member_features: their sketch features); threads=0: one per core");
  m.def("anchor_spellings", &spellings_of, py::arg("batch"), py::arg("rows"), py::arg("first_document"), py::arg("boilerplate"));

  py::class_<CorpusPairs, std::shared_ptr<CorpusPairs>>(m, "CorpusPairs", "the pairs of a corpus, ready to write")
      .def("__len__", [](const CorpusPairs& c) { return c.analysis.pairs.size(); })
      .def("pairs_jsonl", [](const CorpusPairs& c) {
        std::string text;
        {
          py::gil_scoped_release release;
          text = write_to_string([&](std::ostream& out) { write_pairs(out, c.analysis); });
        }
        return py::bytes(text);
      })
      .def("clusters_jsonl", &clusters_jsonl)
      .def("clusters", [](const CorpusPairs& c) {
        std::vector<std::vector<std::uint32_t>> members;
        for (auto& cluster : cluster_stories(c.analysis)) members.push_back(std::move(cluster.members));
        return members;
      });
  m.def("assemble", &assemble, py::arg("ids"), py::arg("langs"), py::arg("titles"), py::arg("dup_a"), py::arg("dup_b"),
        py::arg("dup_exact"), py::arg("dup_score"), py::arg("links") = py::none(),
        py::arg("spellings") = std::map<std::uint32_t, std::unordered_map<std::uint64_t, std::string>>{},
        py::arg("scripts") = std::vector<std::string>{}, py::arg("headlines") = std::vector<std::string>{});
  m.def("deduplicate", &deduplicate_pairs, py::arg("dup_a"), py::arg("dup_b"), py::arg("dup_exact"), py::arg("dup_score"),
        py::arg("lengths"), py::arg("keep") = "first");
  m.def("removed_jsonl", &removed_jsonl, py::arg("removed_ids"), py::arg("duplicate_of_ids"), py::arg("exact"), py::arg("score"));
  m.def("kept_jsonl", &kept_jsonl, py::arg("batch"), py::arg("rows"));
  m.def("cluster_edges", [](std::uint32_t n, const U32& a, const U32& b, const F64& weight, double min_density) {
        if (a.size() != b.size() || a.size() != weight.size()) throw Error(ErrorCode::usage, "cluster_edges: a, b and weight must have one length");
        std::vector<detail::Edge> edges;
        for (py::ssize_t i = 0; i < a.size(); ++i) {
          if (a.data()[i] >= n || b.data()[i] >= n) throw Error(ErrorCode::usage, "cluster_edges: document out of range");
          edges.push_back({a.data()[i], b.data()[i], weight.data()[i]});
        }
        py::gil_scoped_release release;
        return detail::cluster_edges(n, std::move(edges), min_density);
      }, py::arg("n"), py::arg("a"), py::arg("b"), py::arg("weight"), py::arg("min_density") = 0.3);

  m.def("group_roots", [](std::uint32_t n, const U32& a, const U32& b) {
        if (a.size() != b.size()) throw Error(ErrorCode::usage, "group_roots: a and b must have one length");
        detail::DisjointSets groups(n);
        for (py::ssize_t i = 0; i < a.size(); ++i) {
          if (a.data()[i] >= n || b.data()[i] >= n) throw Error(ErrorCode::usage, "group_roots: document out of range");
          groups.join(a.data()[i], b.data()[i]);
        }
        U32 roots(static_cast<py::ssize_t>(n));
        for (std::uint32_t d = 0; d < n; ++d) roots.mutable_data()[d] = groups.find(d);
        return roots;
      }, py::arg("n"), py::arg("a"), py::arg("b"),
      "each document's duplicate group given the duplicate pairs (a[i], b[i]), named by its first member, "
      "as the command groups them");

  const auto contains = [](const IndexHandle& handle, const std::string& id) {
    return with_index(handle, [&](PersistentIndex& index) { return index.contains(id); });
  };
  const auto close_index = [](IndexHandle& handle) {
    py::gil_scoped_release release;
    std::unique_lock lock(handle.mutex);
    handle.index.reset();
  };
  py::class_<IndexHandle>(m, "PersistentIndex",
      "An index of documents on disk that survives restarts: is a page a copy, a near copy or a translation "
      "of one already indexed? (neardup::PersistentIndex, include/neardup/persistent_index.hpp). One process "
      "at a time opens an index; within it, one PersistentIndex may be shared between threads. Use it in a "
      "with block, or call close(), to let go of its files and lock.")
      .def_static("open", [](const std::string& path, const std::optional<std::string>& spec, bool sync_every_add,
                             bool skip_translations, bool read_only) {
        IndexOptions options;
        options.sync_every_add = sync_every_add;
        options.skip_translations = skip_translations;
        options.read_only = read_only;
        auto handle = std::make_unique<IndexHandle>();
        py::gil_scoped_release release;
        // Without a spec: the stored one when an index is there, else a new index with defaults.
        const bool stored = !spec || spec->empty();
        if (stored && (read_only || PersistentIndex::exists(path))) handle->index.emplace(PersistentIndex::open_existing(path, options));
        else handle->index.emplace(PersistentIndex::open(path, stored ? IndexSpec{} : IndexSpec::parse(*spec), options));
        return handle;
      }, py::arg("path"), py::arg("spec") = py::none(), py::arg("sync_every_add") = true, py::arg("skip_translations") = false,
      py::arg("read_only") = false,
      "Opens the index folder at path, creating it when absent. spec (e.g. 'minhash_k=128'): the settings of a new "
      "index, checked against an existing one (IncompatibleIndexError when they differ); None keeps the stored "
      "ones. sync_every_add: each add is on disk (fdatasync) before it returns; False syncs at close, faster, and "
      "a crash may lose the latest adds. skip_translations: add_if_new treats a translation as seen. read_only: "
      "for looking only (query, stats): nothing on disk is written, other read-only opens may share it, and "
      "changing it raises UsageError. FileError when there is no index at path, or when another process, or "
      "another PersistentIndex here, has it open for writing.")
      .def_property_readonly("spec", [](const IndexHandle& handle) {
        return with_index(handle, [](PersistentIndex& index) { return index.spec().to_string(); });
      }, "The index's settings as the string open() takes.")
      .def("add", [](IndexHandle& handle, const std::string& id, const std::string& text, const std::string& lang) {
        with_index(handle, [&](PersistentIndex& index) { index.add(id, text, lang); });
      }, py::arg("id"), py::arg("text"), py::arg("lang") = "",
      "Adds the document, or replaces the one indexed under id. lang '' detects the language. InputError for an "
      "empty id or a text that is blank or not UTF-8.")
      .def("add_batch", [](IndexHandle& handle, const std::vector<std::string>& ids, const std::vector<std::string>& texts,
                           const std::optional<std::vector<std::string>>& langs) {
        const auto documents = documents_of(ids, texts, langs);
        with_index(handle, [&](PersistentIndex& index) { index.add_batch(documents); });
      }, py::arg("ids"), py::arg("texts"), py::arg("langs") = py::none(),
      "Adds many documents, prepared in parallel and written with one sync; all are checked before any is written.")
      .def("query", [](const IndexHandle& handle, const std::string& text, const std::string& lang) {
        return matches_list(with_index(handle, [&](PersistentIndex& index) { return index.query(text, lang); }));
      }, py::arg("text"), py::arg("lang") = "",
      "The indexed documents related to text, as a list of Match: exact duplicates first, then near duplicates "
      "and translations, each by descending score. Nothing is added.")
      .def("query_batch", [](const IndexHandle& handle, const std::vector<std::string>& texts,
                             const std::optional<std::vector<std::string>>& langs) {
        std::vector<std::string> ids(texts.size());
        const auto documents = documents_of(ids, texts, langs);
        const auto results = with_index(handle, [&](PersistentIndex& index) { return index.query_batch(documents); });
        py::list list;
        for (const auto& matches : results) list.append(matches_list(matches));
        return list;
      }, py::arg("texts"), py::arg("langs") = py::none(), "query() for many texts at once: a list of lists of Match.")
      .def("add_if_new", [](IndexHandle& handle, const std::string& id, const std::string& text, const std::string& lang) {
        const AddResult result = with_index(handle, [&](PersistentIndex& index) { return index.add_if_new(id, text, lang); });
        return result_types().add_result(result.added, matches_list(result.matches));
      }, py::arg("id"), py::arg("text"), py::arg("lang") = "",
      "In one step: the matches of text, and adds it under id when none is an exact or near duplicate (nor a "
      "translation, with skip_translations). Returns AddResult(added, matches). An id indexed with the same text "
      "is not added again (its exact-duplicate match names it); with another text, IdConflictError: add() "
      "replaces the entry, remove() forgets it.")
      .def("remove", [](IndexHandle& handle, const std::string& id) {
        return with_index(handle, [&](PersistentIndex& index) { return index.remove(id); });
      }, py::arg("id"), "Removes the document indexed under id; False when there is none.")
      .def("contains", contains, py::arg("id"), "Whether a document is indexed under id.")
      .def("__contains__", contains, py::arg("id"))
      .def("__len__", [](const IndexHandle& handle) {
        return with_index(handle, [](PersistentIndex& index) { return index.stats().documents; });
      })
      .def("stats", [](const IndexHandle& handle) {
        const IndexStats stats = with_index(handle, [](PersistentIndex& index) { return index.stats(); });
        py::dict recovery;
        recovery["torn_offset"] = stats.recovery.torn_offset;
        recovery["torn_bytes"] = stats.recovery.torn_bytes;
        recovery["stale_log"] = stats.recovery.stale_log;
        recovery["removed_files"] = stats.recovery.removed_files;
        recovery["message"] = stats.recovery.describe();
        return result_types().index_stats(stats.documents, stats.bytes_on_disk, stats.bytes_in_memory, stats.log_records, recovery);
      }, "IndexStats(documents, bytes_on_disk, bytes_in_memory, log_records, recovery).")
      .def("flush", [](IndexHandle& handle) { with_index(handle, [](PersistentIndex& index) { index.flush(); }); },
           "Writes the log's pending records to disk (for sync_every_add=False).")
      .def("checkpoint", [](IndexHandle& handle) { with_index(handle, [](PersistentIndex& index) { index.checkpoint(); }); },
           "Writes every document to a fresh snapshot and starts an empty log: a faster open next time.")
      .def_property_readonly("closed", [](const IndexHandle& handle) {
        py::gil_scoped_release release;
        std::shared_lock lock(handle.mutex);
        return !handle.index.has_value();
      }, "Whether close() was called.")
      .def("close", close_index, "Syncs and closes the index, letting go of its lock; later calls raise UsageError. Closing twice is harmless.")
      .def("__enter__", [](py::object self) { return self; })
      .def("__exit__", [close_index](IndexHandle& handle, const py::args&) { close_index(handle); })
      .def("__repr__", [](const IndexHandle& handle) {
        std::string spec;
        std::uint64_t documents = 0;
        {
          py::gil_scoped_release release;
          std::shared_lock lock(handle.mutex);
          if (!handle.index) return std::string("<neardup.PersistentIndex closed>");
          spec = handle.index->spec().to_string();
          documents = handle.index->stats().documents;
        }
        return "<neardup.PersistentIndex " + std::to_string(documents) + " documents, " + spec + ">";
      });
}

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string_view>
#include <system_error>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "ingest/compression.hpp"
#include "ingest/json_fields.hpp"
#include "ingest/line_reader.hpp"
#include "ingest/read.hpp"
#include "ingest/spool.hpp"
#include "ingest/utf8.hpp"
#include "neardup/error.hpp"
#include "neardup/ingest.hpp"

namespace neardup {

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;  // ordered, so that Document::extra keeps the input's field order
using namespace std::string_view_literals;
using detail::FileBuffer;
using detail::LineReader;

// Enough bytes to tell UTF-16/32 from UTF-8 by the share of NUL bytes.
constexpr std::size_t sniff_size = 4096;

// Reads to the end, or `limit` bytes when the input is longer.
std::string read_all(std::streambuf& in, std::size_t size_hint, std::size_t limit = SIZE_MAX) {
  std::string out;
  out.reserve(std::min(size_hint, limit));
  std::size_t end = 0;
  while (end < limit) {
    if (out.size() - end < detail::read_block_size / 2) out.resize(std::min(std::max(out.size() * 2, end + detail::read_block_size), limit));
    const std::streamsize got = in.sgetn(out.data() + end, static_cast<std::streamsize>(out.size() - end));
    if (got <= 0) break;
    end += static_cast<std::size_t>(got);
  }
  out.resize(end);
  return out;
}

// Length of the longest prefix of at most `limit` bytes (text.size() > limit) that does not end
// inside a UTF-8 character; a character has at most three continuation bytes.
std::size_t cut_at_character(std::string_view text, std::size_t limit) {
  std::size_t cut = limit;
  while (cut > 0 && limit - cut < 3 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return cut;
}

const std::string cut_warning = "the document is longer than 64 MiB; only its first 64 MiB are compared "
                                "(split it into smaller documents to compare all of it). dedup writes a kept JSON line "
                                "whole, but a kept text file as its first 64 MiB";

std::string errno_text(int error) { return std::error_code(error, std::generic_category()).message(); }

std::string hex_byte(unsigned char byte) {
  constexpr std::string_view digits = "0123456789ABCDEF";
  return std::string("0x") + digits[byte >> 4] + digits[byte & 0xF];
}

// An iconv command line that converts the input, for the messages.
std::string iconv_hint(std::string_view from, const std::string& source) {
  const std::string command = "iconv -f " + std::string(from) + " -t UTF-8";
  if (source == "-") return "convert it before piping it in (" + command + ")";
  const fs::path in(source);
  const fs::path out = in.parent_path() / (in.stem().string() + ".utf8" + in.extension().string());
  return "convert it first: " + command + " '" + source + "' > '" + out.string() + "'";
}

struct Encoding {
  std::size_t bom = 0;  // bytes of a UTF-8 byte order mark to drop
  std::string problem;  // set when the input is UTF-16 or UTF-32
};

Encoding sniff_encoding(std::string_view head, const std::string& source) {
  if (head.starts_with("\xEF\xBB\xBF"sv)) return {3, {}};
  // UTF-32LE before UTF-16LE: its mark starts with the UTF-16LE one.
  constexpr std::pair<std::string_view, std::string_view> marks[] = {
      {"\xFF\xFE\0\0"sv, "UTF-32LE"}, {"\0\0\xFE\xFF"sv, "UTF-32BE"},
      {"\xFF\xFE"sv, "UTF-16LE"},     {"\xFE\xFF"sv, "UTF-16BE"}};
  for (const auto& [mark, name] : marks) {
    if (!head.starts_with(mark)) continue;
    // iconv reads the byte order from the mark and drops it when told only the width.
    return {0, "the file is " + std::string(name) + " (it starts with a byte order mark), not UTF-8; " +
                   iconv_hint(name.substr(0, 6), source)};
  }
  // Without a mark, text in UTF-16 (one NUL in two bytes for Latin text) or UTF-32 (three in
  // four) is told apart from a UTF-8 text with a stray NUL by the share of NUL bytes, and from
  // binary data (images, archives, /dev/zero) by where they fall: a UTF-16 text has its NULs
  // in the high bytes only, a UTF-32 text in the two highest bytes and few in the lowest.
  const std::string_view sample = head.substr(0, sniff_size);
  std::array<std::size_t, 4> nul{};    // NUL bytes by position modulo 4
  std::array<std::size_t, 4> bytes{};  // bytes by position modulo 4
  for (std::size_t i = 0; i < sample.size(); ++i) {
    ++bytes[i % 4];
    if (sample[i] == '\0') ++nul[i % 4];
  }
  const std::size_t even = nul[0] + nul[2];
  const std::size_t odd = nul[1] + nul[3];
  if (sample.size() < 4 || (even + odd) * 4 < sample.size()) return {};
  std::string_view name;
  // UTF-16 Latin text also has a NUL in every fourth byte; UTF-32 has one in the byte beside
  // it as well (nearly every character is in the Basic Multilingual Plane).
  if (nul[3] == bytes[3] && nul[2] * 10 >= bytes[2] * 9 && nul[0] * 10 <= bytes[0]) {
    name = "UTF-32LE";
  } else if (nul[0] == bytes[0] && nul[1] * 10 >= bytes[1] * 9 && nul[3] * 10 <= bytes[3]) {
    name = "UTF-32BE";
  } else if (even * 10 <= odd) {
    name = "UTF-16LE";
  } else if (odd * 10 <= even) {
    name = "UTF-16BE";
  } else {
    return {};  // NULs everywhere: binary, which the caller's NUL check says
  }
  return {0, "the file looks like " + std::string(name) + " (many NUL bytes), not UTF-8; " + iconv_hint(name, source)};
}

std::string lowercase_extension(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
  return extension;
}

bool is_jsonl_path(const fs::path& path) {
  const std::string extension = lowercase_extension(path);
  return extension == ".jsonl" || extension == ".ndjson" || extension == ".json";
}

// "a number", "an array": nlohmann's type name with its article.
std::string a_type(const Json& value) {
  const std::string_view name = value.type_name();
  return (name.find_first_of("aeiou") == 0 ? "an " : "a ") + std::string(name);
}

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

bool is_ascii_blank(std::string_view line) { return std::all_of(line.begin(), line.end(), is_ascii_space); }

// nlohmann's message without its "[json.exception...] parse error at line 1, column 7: " prefix,
// which repeats what the location already says, and cut short: its "last read" part can quote
// a whole unterminated text.
std::string json_reason(const Json::parse_error& error) {
  constexpr std::size_t longest = 160;
  std::string_view what = error.what();
  if (const auto column = what.find("column "); column != std::string_view::npos) {
    if (const auto colon = what.find(": ", column); colon != std::string_view::npos) what.remove_prefix(colon + 2);
  } else if (const auto bracket = what.find("] "); bracket != std::string_view::npos) {
    what.remove_prefix(bracket + 2);
  }
  if (what.size() <= longest) return std::string(what);
  std::size_t cut = longest;
  while (cut > 0 && (static_cast<unsigned char>(what[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
  return std::string(what.substr(0, cut)) + "...";
}

// The line at `offset` of the file `source` without its '\n', read again, and only that line (a
// LineReader would fill its megabyte buffer for every document).
std::string line_at(const std::string& source, std::uint64_t offset) {
  FileBuffer in(source);
  if (!in.is_open() || !in.seek(offset)) throw Error(ErrorCode::io, source + ": cannot read it again: " + errno_text(errno));
  constexpr std::size_t step = 16384;
  std::string line;
  for (std::size_t scanned = 0;;) {
    line.resize(scanned + step);
    const auto got = static_cast<std::size_t>(std::max<std::streamsize>(0, in.sgetn(line.data() + scanned, step)));
    const std::size_t newline = line.find('\n', scanned);
    if (newline < scanned + got || got < step) {
      line.resize(std::min(newline, scanned + got));
      return line;
    }
    scanned += got;
  }
}

// The id of a whole-file document: the file name without its extension (and compression suffix).
std::string text_id(const std::string& source) {
  if (source == "-") return "stdin";
  return fs::path(detail::without_compression_suffix(fs::path(source).filename().string())).stem().string();
}

// What to do with a table (.csv, .tsv), which would otherwise be read as one text document.
std::string table_advice(const std::string& name, const std::string& source) {
  const std::string extension = lowercase_extension(name);
  if (extension != ".csv" && extension != ".tsv") return {};
  const bool tsv = extension == ".tsv";
  return std::string("a ") + (tsv ? "TSV" : "CSV") +
         " table is not read (neardup reads text files and JSON Lines); convert it to JSON Lines, e.g. "
         "python3 -c 'import csv,json,sys; [print(json.dumps(r, ensure_ascii=False)) for r in csv.DictReader(sys.stdin" +
         (tsv ? ", delimiter=\"\\t\"" : "") + ")]' < '" + source + "' > out.jsonl, and name its columns with --id-field and --text-field";
}

// True when the first byte that is not white space (after a byte order mark) is '{'.
bool starts_with_brace(LineReader& lines) {
  for (std::size_t want = sniff_size;; want *= 2) {
    std::string_view head = lines.peek(want);
    const bool whole = head.size() < want;
    if (head.starts_with("\xEF\xBB\xBF"sv)) head.remove_prefix(3);
    const auto first = std::find_if_not(head.begin(), head.end(), is_ascii_space);
    if (first != head.end()) return *first == '{';
    if (whole) return false;
  }
}

const std::string skip_hint = " (or pass --on-error skip to go on without it)";
const std::string reencode_hint = "re-encode the file as UTF-8 (iconv -f <its encoding> -t UTF-8)";

class Reader {
 public:
  // With `spool`, documents of sources that cannot be read again where they are go to a spool
  // as well (see stream_inputs).
  explicit Reader(const ReadOptions& options, const detail::DocumentSink* sink = nullptr, bool spool = false)
      : options_(options),
        sink_(sink),
        may_spool_(spool),
        id_field_(options.fields.id),
        text_field_(options.fields.text),
        lang_field_(options.fields.lang) {}

  void read_path(const std::string& path) {
    if (path == "-") {
      read_stdin();
      return;
    }
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (status.type() == fs::file_type::not_found) throw Error(ErrorCode::io, printable(path) + ": no such file or folder");
    if (error) throw Error(ErrorCode::io, printable(path) + ": " + error.message());
    if (fs::is_directory(status)) {
      read_folder(path, true);
    } else {
      read_file(path, true);
    }
  }

  void read_buffer(std::string_view bytes, const std::string& source) {
    begin_source(source);
    LineReader lines(nullptr, std::string(bytes));
    read_jsonl(source, lines);
  }

  ReadResult take() { return std::move(result_); }

  detail::StreamedInputs take_streamed() {
    if (spool_) spool_->finish();
    return {std::move(sources_), std::move(spooled_), std::move(spool_), options_, std::move(result_.rejected),
            std::move(result_.warnings)};
  }

  // The document at `location`, read again by the rules that read it the first time. A reader
  // is used for one call (it would take the document for a duplicate of its own id).
  Document read_again(const detail::StreamedInputs& inputs, const detail::DocumentLocation& location) {
    std::optional<Document> found;
    const detail::DocumentSink keep = [&](Document&& document, const detail::DocumentLocation&) { found = std::move(document); };
    sink_ = &keep;
    const std::string& source = inputs.sources.at(location.source);
    if (inputs.spooled.at(location.source)) {
      begin_source(source);
      std::string record = inputs.spool->read(location.offset);
      if (location.line == 0) {
        read_text(source, text_id(source), std::move(record));
      } else {
        LineReader lines(nullptr, std::move(record));
        read_line_again(source, lines, location);
      }
    } else if (location.line == 0) {
      read_file(source, true);
    } else {
      begin_source(source);
      LineReader lines(nullptr, line_at(source, location.offset));
      read_line_again(source, lines, location);
    }
    sink_ = nullptr;
    if (!found) throw Error(ErrorCode::io, source + ": changed while it was read (a document read before is no longer there)");
    return std::move(*found);
  }

 private:
  void read_line_again(const std::string& source, LineReader& lines, const detail::DocumentLocation& location) {
    std::string_view line;
    if (lines.next(line)) read_json_line(source, line, location.line, location.offset);
  }

  struct FirstSeen {
    std::size_t source;  // index in sources_
    std::uint64_t line;
  };

  // A source is spooled once it turns out to be read as a stream (read_source).
  void begin_source(const std::string& source) {
    sources_.push_back(source);
    spooled_.push_back(false);
  }

  detail::Spool& spool() {
    if (!spool_) spool_ = std::make_shared<detail::Spool>();
    return *spool_;
  }

  // Bad input: thrown or recorded, as the options say. The line being read, if any, is kept
  // with the record.
  void reject(const std::string& source, std::uint64_t line, std::uint64_t offset, std::string id, std::string problem) {
    if (options_.on_error == OnError::fail) throw InputError(source, line, offset, problem + skip_hint);
    result_.rejected.push_back(Rejected{source, line, std::move(id), std::move(problem), line > 0 ? std::string(current_line_) : std::string()});
  }

  // A file or folder that cannot be read: always fatal when the user named it, else like bad input.
  void unreadable(const std::string& source, const std::string& problem, bool named) {
    if (named || options_.on_error == OnError::fail) throw Error(ErrorCode::io, printable(source) + ": " + problem);
    result_.rejected.push_back(Rejected{source, 0, {}, problem, {}});
  }

  // Keeps the document, or hands it to the sink, unless its id was used before; `cut` says
  // that it was cut to the size limit. `record` is its JSON line, empty for a whole-file
  // document.
  void accept(Document&& document, std::uint64_t offset, bool cut, std::string_view record) {
    const auto [it, inserted] = seen_ids_.try_emplace(document.id, FirstSeen{sources_.size() - 1, document.line});
    if (!inserted) {
      const std::string& first_source = sources_[it->second.source];
      const std::string first =
          it->second.line > 0 ? first_source + ":" + std::to_string(it->second.line) : first_source;
      reject(document.source, document.line, offset, document.id,
             "duplicate id \"" + printable(document.id) + "\" (first used at " + printable(first) + "); give each document its own id");
      return;
    }
    if (cut) result_.warnings.push_back(Warning{document.source, document.line, document.id, cut_warning});
    if (sink_ != nullptr) {
      if (spooled_.back()) offset = spool().append(document.line == 0 ? std::string_view(document.text) : record);
      const detail::DocumentLocation location{offset, static_cast<std::uint32_t>(sources_.size() - 1),
                                              static_cast<std::uint32_t>(document.line)};
      (*sink_)(std::move(document), location);
    } else {
      result_.documents.push_back(std::move(document));
    }
  }

  void read_folder(const fs::path& folder, bool named) {
    std::error_code error;
    fs::directory_iterator it(folder, fs::directory_options::none, error);
    std::vector<fs::directory_entry> entries;
    for (; !error && it != fs::directory_iterator(); it.increment(error)) entries.push_back(*it);
    if (error) {
      unreadable(folder.string(), "cannot read folder: " + error.message(), named);
      return;
    }
    // Sibling names in order give the same order as sorting whole paths element by element.
    std::sort(entries.begin(), entries.end(),
              [](const fs::directory_entry& a, const fs::directory_entry& b) { return a.path().filename() < b.path().filename(); });
    for (const fs::directory_entry& entry : entries) {
      if (entry.path().filename().string().starts_with('.')) continue;
      // A symlinked folder may lead back up the tree; symlinked files are read. A link that
      // leads nowhere (dangling, or a loop) is an input that cannot be read, not nothing.
      const bool symlink = entry.is_symlink(error);
      const fs::file_status target = entry.status(error);
      if (symlink && error) {
        unreadable(entry.path().string(), "cannot follow the symbolic link: " + error.message(), false);
      } else if (fs::is_directory(target)) {
        if (!symlink) read_folder(entry.path(), false);
      } else if (fs::is_regular_file(target)) {
        read_file(entry.path().string(), false);
      }
    }
  }

  void read_file(const std::string& path, bool named) {
    FileBuffer file(path);
    if (!file.is_open()) {
      unreadable(path, "cannot open: " + errno_text(errno), named);
      return;
    }
    std::error_code error;
    read_source(path, file, fs::is_regular_file(path, error), named);
  }

  // Standard input as a stream: it is never held whole.
  void read_stdin() { read_source("-", *std::cin.rdbuf(), false, true); }

  // A file or standard input, by its format: compressed, or a pipe (`seekable` false), it is
  // read once as a stream and, for the streaming dedup, spooled: a compressed file cannot be
  // read at an offset, nor a pipe (standard input, a FIFO, /dev/fd/N) a second time. What a name
  // does not say is told by the first byte.
  void read_source(const std::string& source, std::streambuf& raw, bool seekable, bool named) {
    begin_source(source);
    try {
      detail::PeekableBuffer in(raw);
      const detail::InputFormat format = detail::sniff_format(in.head(detail::magic_size), source);
      if (!format.unsupported.empty()) {
        reject(source, 0, 0, {}, format.unsupported);
        return;
      }
      const std::string name = source == "-" ? std::string() : detail::without_compression_suffix(fs::path(source).filename().string());
      if (const std::string advice = table_advice(name, source); !advice.empty()) {
        reject(source, 0, 0, {}, advice);
        return;
      }
      if (format.compression != detail::Compression::none || !seekable) {
        spooled_.back() = may_spool_;
        std::unique_ptr<std::streambuf> plain;
        if (format.compression != detail::Compression::none) plain = detail::decompressed(format.compression, in);
        LineReader lines(plain ? plain.get() : &in);
        read_stream(source, lines, is_jsonl_path(name));
      } else if (is_jsonl_path(name)) {
        LineReader lines(&in);
        read_jsonl(source, lines);
      } else {
        std::error_code error;
        const std::uintmax_t size = fs::file_size(source, error);
        // A byte order mark and one byte more than the limit, to tell that the text goes on.
        std::string contents = read_all(in, error ? 0 : static_cast<std::size_t>(size), detail::max_document_bytes + 4);
        read_text(source, text_id(source), std::move(contents));
      }
    } catch (const InputError&) {
      throw;
    } catch (const Error& error) {
      if (error.code() == ErrorCode::bad_input) {  // damaged compressed data
        reject(source, 0, 0, {}, error.what());
        return;
      }
      if (error.code() != ErrorCode::io) throw;
      unreadable(source, error.what(), named);
    }
  }

  // JSON Lines when the name says so or the first non-blank byte is '{', else one text document.
  void read_stream(const std::string& source, LineReader& lines, bool jsonl_by_name) {
    if (jsonl_by_name || starts_with_brace(lines)) {
      read_jsonl(source, lines);
    } else {
      // A byte order mark and one byte more than the limit, to tell that the text goes on.
      read_text(source, text_id(source), lines.rest(detail::max_document_bytes + 4));
    }
  }

  void read_text(const std::string& source, std::string id, std::string contents) {
    const Encoding encoding = sniff_encoding(contents, source);
    if (!encoding.problem.empty()) {
      reject(source, 0, 0, std::move(id), encoding.problem);
      return;
    }
    contents.erase(0, encoding.bom);
    const std::uint64_t base = encoding.bom;  // offsets below are in the file, mark included
    const bool cut = contents.size() > detail::max_document_bytes;
    if (cut) contents.resize(cut_at_character(contents, detail::max_document_bytes));
    if (const auto nul = contents.find('\0'); nul != std::string::npos) {
      reject(source, 0, base + nul, std::move(id), "binary data (a NUL byte), not text; leave this file out of the input");
      return;
    }
    if (const auto bad = detail::find_invalid_utf8(contents); bad != contents.size()) {
      const std::string where = base + bad == 0 ? " at the first byte" : "";
      reject(source, 0, base + bad, std::move(id),
             "invalid UTF-8" + where + " (byte " + hex_byte(static_cast<unsigned char>(contents[bad])) + "); " + reencode_hint);
      return;
    }
    if (detail::is_blank(contents)) {
      reject(source, 0, 0, std::move(id), "empty document: the file is empty or only white space; leave it out of the input");
      return;
    }
    Document document;
    document.id = std::move(id);
    document.text = std::move(contents);
    document.source = source;
    accept(std::move(document), 0, cut, {});
  }

  void read_jsonl(const std::string& source, LineReader& lines) {
    const Encoding encoding = sniff_encoding(lines.peek(sniff_size), source);
    if (!encoding.problem.empty()) {
      reject(source, 0, 0, {}, encoding.problem);
      return;
    }
    lines.skip(encoding.bom);
    std::string_view line;
    while (lines.next(line)) {
      if (is_ascii_blank(line)) continue;
      read_json_line(source, line, lines.number(), lines.offset());
    }
  }

  void read_json_line(const std::string& source, std::string_view line, std::uint64_t number, std::uint64_t offset) {
    current_line_ = line;
    parse_json_line(source, line, number, offset);
    current_line_ = {};
  }

  // For a missing field: the option that names another.
  static std::string field_hint(std::string_view option) {
    return " (if another field holds it, name that one with " + std::string(option) + ")";
  }

  void parse_json_line(const std::string& source, std::string_view line, std::uint64_t number, std::uint64_t offset) {
    // Checked on the raw bytes to say where the bad byte is; nlohmann then only yields valid
    // UTF-8 (it rejects bad bytes and lone surrogate escapes itself).
    if (const auto bad = detail::find_invalid_utf8(line); bad != line.size()) {
      reject(source, number, offset, {},
             "invalid UTF-8 at byte " + std::to_string(bad + 1) + " of the line (" +
                 hex_byte(static_cast<unsigned char>(line[bad])) + "); " + reencode_hint);
      return;
    }
    if (const std::string problem = detail::json_shape_problem(line); !problem.empty()) {
      reject(source, number, offset, {}, problem);
      return;
    }
    Json object;
    try {
      object = Json::parse(line.data(), line.data() + line.size());
    } catch (const Json::parse_error& error) {
      reject(source, number, offset, {},
             "malformed JSON at byte " + std::to_string(error.byte) + " of the line (" + json_reason(error) +
                 "); each line must be one complete JSON object");
      return;
    } catch (const Json::out_of_range&) {
      // nlohmann parses every number as it reads it; one beyond a double (1E400) is not a
      // parse_error but out_of_range, and must not escape as anything but a bad line.
      reject(source, number, offset, {},
             "a number too large for a double (such as 1E400); write it as a string, e.g. \"1E400\"");
      return;
    }
    if (!object.is_object()) {
      reject(source, number, offset, {},
             "the line is " + a_type(object) + ", not an object; each line must be one object such as {\"" +
                 id_field_.name() + "\": \"a1\", \"" + text_field_.name() + "\": \"...\"}");
      return;
    }

    Document document;
    document.source = source;
    document.line = number;
    const std::string& id_name = id_field_.name();
    const std::string& text_name = text_field_.name();

    Json* id = id_field_.find(object);
    if (id == nullptr) {
      reject(source, number, offset, {},
             "no \"" + id_name + "\" field; give each line a string or integer \"" + id_name + "\"" + field_hint("--id-field"));
      return;
    }
    if (id->is_string()) {
      document.id = std::move(id->get_ref<std::string&>());
    } else if (id->is_number_unsigned()) {
      document.id = std::to_string(id->get<std::uint64_t>());
    } else if (id->is_number_integer()) {
      document.id = std::to_string(id->get<std::int64_t>());
    } else {
      reject(source, number, offset, {},
             "\"" + id_name + "\" is " + a_type(*id) + ", not a string or integer; give each line a string or integer \"" + id_name + "\"");
      return;
    }
    if (document.id.empty()) {
      reject(source, number, offset, {}, "\"" + id_name + "\" is empty; give each line a non-empty \"" + id_name + "\"");
      return;
    }

    Json* text = text_field_.find(object);
    if (text == nullptr) {
      reject(source, number, offset, document.id,
             "no \"" + text_name + "\" field; give each line a string \"" + text_name + "\"" + field_hint("--text-field"));
      return;
    }
    if (!text->is_string()) {
      reject(source, number, offset, document.id,
             "\"" + text_name + "\" is " + a_type(*text) + ", not a string; give each line a string \"" + text_name + "\"");
      return;
    }
    document.text = std::move(text->get_ref<std::string&>());
    const bool cut = document.text.size() > detail::max_document_bytes;
    if (cut) document.text.resize(cut_at_character(document.text, detail::max_document_bytes));
    if (detail::is_blank(document.text)) {
      reject(source, number, offset, document.id,
             "empty document: \"" + text_name + "\" is empty or only white space; fill it in or leave the line out");
      return;
    }

    // A null or empty language is taken as absent: exports often write either for "unknown". It
    // stays among the other fields, so that the line is written back as it was read.
    if (Json* lang = lang_field_.find(object); lang != nullptr) {
      if (lang->is_string() && !lang->get_ref<const std::string&>().empty()) {
        document.lang = std::move(lang->get_ref<std::string&>());
        lang_field_.erase(object);
      } else if (!lang->is_null() && !lang->is_string()) {
        reject(source, number, offset, document.id,
               "\"" + lang_field_.name() + "\" is " + a_type(*lang) + ", not a string; give a language code such as \"en\" or leave \"" +
                   lang_field_.name() + "\" out");
        return;
      }
    }
    id_field_.erase(object);
    text_field_.erase(object);
    if (!object.empty()) document.extra = object.dump();
    if (options_.keep_lines) document.original_line = std::string(line);  // whole, even when the text was cut
    accept(std::move(document), offset, cut, line);
  }

  const ReadOptions& options_;
  const detail::DocumentSink* sink_;
  const bool may_spool_;
  const detail::FieldPath id_field_;
  const detail::FieldPath text_field_;
  const detail::FieldPath lang_field_;
  ReadResult result_;
  std::vector<std::string> sources_;  // every file read, for naming the first use of an id
  std::vector<bool> spooled_;         // per source: its documents go to the spool
  std::shared_ptr<detail::Spool> spool_;
  std::string_view current_line_;     // the JSON line being read, for its rejection record
  std::unordered_map<std::string, FirstSeen> seen_ids_;
};

}  // namespace

namespace detail {

ReadResult read_jsonl_buffer(std::string_view bytes, const std::string& source, const ReadOptions& options) {
  Reader reader(options);
  reader.read_buffer(bytes, source);
  return reader.take();
}

StreamedInputs stream_inputs(const std::vector<std::string>& paths, const ReadOptions& options, const DocumentSink& sink) {
  Reader reader(options, &sink, true);
  for (const std::string& path : paths) reader.read_path(path);
  return reader.take_streamed();
}

Document read_again(const StreamedInputs& inputs, const DocumentLocation& location) {
  ReadOptions options = inputs.options;
  options.on_error = OnError::fail;  // a document accepted before that no longer reads is an error
  options.keep_lines = true;
  Reader reader(options);
  return reader.read_again(inputs, location);
}

std::string read_text_again(const StreamedInputs& inputs, const DocumentLocation& location) {
  const std::string& text_field = inputs.options.fields.text;
  // A path into nested objects is the full reader's to follow.
  if (location.line > 0 && !FieldPath(text_field).nested()) {
    const std::string line = inputs.spooled.at(location.source) ? inputs.spool->read(location.offset)
                                                                 : line_at(inputs.sources.at(location.source), location.offset);
    TopLevelString<Json> field(text_field);
    if (Json::sax_parse(line.data(), line.data() + line.size(), &field)) {
      if (std::optional<std::string> text = field.take()) {
        if (text->size() > max_document_bytes) text->resize(cut_at_character(*text, max_document_bytes));
        if (!is_blank(*text)) return std::move(*text);
      }
    }
  }
  // A whole file, or a line that no longer reads as a document: the full reader, which reads
  // the one and says what is wrong with the other.
  return read_again(inputs, location).text;
}

}  // namespace detail

ReadResult read_inputs(const std::vector<std::string>& paths, const ReadOptions& options) {
  Reader reader(options);
  for (const std::string& path : paths) reader.read_path(path);
  return reader.take();
}

}  // namespace neardup

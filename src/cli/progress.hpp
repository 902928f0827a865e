// Progress of a long run on standard error: one line rewritten in place, on a terminal only and
// not with --quiet, and cleared before the final summary, so that logs and pipes never see it.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>

#include "neardup/pipeline.hpp"

namespace neardup::cli {

// "35 s", "2 min 5 s", "1 h 10 min".
inline std::string duration_text(double seconds) {
  const auto whole = static_cast<long long>(std::llround(seconds));
  if (whole < 60) return std::to_string(whole) + " s";
  const long long minutes = whole / 60;
  if (minutes < 60) return std::to_string(minutes) + " min " + std::to_string(whole % 60) + " s";
  return std::to_string(minutes / 60) + " h " + std::to_string(minutes % 60) + " min";
}

// "deduplicating: 120000 documents, 41.2 MB/s, 35 s left" from what the library reports and the
// seconds spent in the stage; the time left is left out while the share done is unknown.
// Inline so that the tests, which link the library and not the command, can check it.
inline std::string format_progress(const Progress& progress, double stage_seconds) {
  std::string line = std::string(progress.stage) + ": " + std::to_string(progress.documents) + " documents";
  if (stage_seconds > 0.0) {
    char rate[32];
    std::snprintf(rate, sizeof rate, ", %.1f MB/s", static_cast<double>(progress.bytes) / stage_seconds / 1e6);
    line += rate;
  }
  if (progress.fraction > 0.0 && stage_seconds > 0.0)
    line += ", " + duration_text(stage_seconds * (1.0 - std::min(progress.fraction, 1.0)) / progress.fraction) + " left";
  return line;
}

class ProgressLine {
 public:
  // Shows nothing unless `wanted` and standard error is a terminal.
  explicit ProgressLine(bool wanted);
  ~ProgressLine();  // clears the line, also when the run fails
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // What to hand the library; empty (no calls at all) when nothing is shown.
  ProgressCallback callback();
  // Clears the line so that the summary takes its place.
  void clear();

 private:
  using Clock = std::chrono::steady_clock;
  void show(const Progress& progress);

  bool active_;
  bool shown_ = false;
  std::string stage_;
  Clock::time_point started_ = Clock::now();
  Clock::time_point stage_started_ = started_;
  Clock::time_point last_shown_{};
};

}  // namespace neardup::cli

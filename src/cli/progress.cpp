#include "cli/progress.hpp"

#include <unistd.h>

#include <iostream>

namespace neardup::cli {
namespace {

// Short runs finish before a line would be worth reading; a line redrawn more often flickers.
constexpr auto quiet_start = std::chrono::milliseconds(500);
constexpr auto redraw_every = std::chrono::milliseconds(200);

}  // namespace

ProgressLine::ProgressLine(bool wanted) : active_(wanted && ::isatty(STDERR_FILENO) == 1) {}

ProgressLine::~ProgressLine() { clear(); }

ProgressCallback ProgressLine::callback() {
  if (!active_) return {};
  return [this](const Progress& progress) { show(progress); };
}

void ProgressLine::show(const Progress& progress) {
  const auto now = Clock::now();
  if (progress.stage != stage_) {
    stage_ = progress.stage;
    stage_started_ = now;
    last_shown_ = {};
  }
  if (now - started_ < quiet_start || now - last_shown_ < redraw_every) return;
  last_shown_ = now;
  // \r and "erase to the end of the line": the new text replaces the old wherever it ends.
  std::cerr << "\r\033[K" << format_progress(progress, std::chrono::duration<double>(now - stage_started_).count()) << std::flush;
  shown_ = true;
}

void ProgressLine::clear() {
  if (!shown_) return;
  std::cerr << "\r\033[K" << std::flush;
  shown_ = false;
}

}  // namespace neardup::cli

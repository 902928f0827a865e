#include "score/translation.hpp"

namespace neardup::detail {

// Fitted by tools/fit_translation_model.py; the same numbers, with the data and the command
// that produced them, are in fixtures/models/translation_model.json (a test keeps the two equal).
const PairModel& PairModel::translation() {
  static const PairModel model{{2.804963, 1.645703, 1.612281, 1.821295, 0.579738, 0.121425, 0.737275, 0.0}, -5.589801, 2.25};
  return model;
}

// Fitted by tools/fit_translation_model.py on same-story candidates; the same numbers are in
// fixtures/models/same_story_model.json.
const PairModel& PairModel::same_story() {
  static const PairModel model{{2.310539, 1.10305, 0.754273, 1.463563, -0.222592, 0.660063, -0.061749, -2.279121}, -4.386066, -0.105229};
  return model;
}

// Fitted by tools/fit_model.sh index-translation, on the signals the persistent index computes;
// the same numbers are in fixtures/models/index_translation_model.json.
const PairModel& PairModel::index_translation() {
  static const PairModel model{{3.668865, 1.647277, 0.0, 0.0, 0.374572, 0.5041, 0.0, 0.0}, -3.039604, 0.0};
  return model;
}

}  // namespace neardup::detail

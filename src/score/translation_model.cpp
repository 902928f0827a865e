#include "score/translation.hpp"

namespace neardup::detail {

// Fitted by tools/fit_translation_model.py; the same numbers, with the data and the command
// that produced them, are in fixtures/models/translation_model.json (a test keeps the two equal).
const PairModel& PairModel::translation() {
  static const PairModel model{{3.1328, 3.023235, 1.117506, 1.067892, 0.082778, -0.111553, -0.107584, 0.0}, -3.004889, 2.054938};
  return model;
}

// Fitted by tools/fit_translation_model.py on same-story candidates; the same numbers are in
// fixtures/models/same_story_model.json.
const PairModel& PairModel::same_story() {
  static const PairModel model{{2.310539, 1.10305, 0.754273, 1.463563, -0.222592, 0.660063, -0.061749, -2.279121}, -4.386066, -0.105229};
  return model;
}

}  // namespace neardup::detail

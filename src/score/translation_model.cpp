#include "score/translation.hpp"

namespace neardup::detail {

// Fitted by tools/fit_translation_model.py; the same numbers, with the data and the command
// that produced them, are in fixtures/models/translation_model.json (a test keeps the two equal).
const TranslationModel& TranslationModel::fitted() {
  static const TranslationModel model{{3.884287, 3.021689, 0.055959, 0.173413, 0.035943, -0.078853}, -2.936043, 1.648053};
  return model;
}

}  // namespace neardup::detail

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "score/translation.hpp"

namespace neardup::detail {
namespace {

void expect_fitted(const std::string& name, const PairModel& fitted) {
  std::ifstream in(std::string(NEARDUP_FIXTURES_DIR) + "/models/" + name);
  ASSERT_TRUE(in) << "fixtures/models/" << name << " is missing";
  const auto model = nlohmann::json::parse(in);
  ASSERT_EQ(model.at("weights").size(), fitted.weights.size());
  for (std::size_t i = 0; i < fitted.weights.size(); ++i) EXPECT_DOUBLE_EQ(model["weights"][i].get<double>(), fitted.weights[i]) << name << " " << i;
  EXPECT_DOUBLE_EQ(model.at("bias").get<double>(), fitted.bias) << name;
  EXPECT_DOUBLE_EQ(model.at("support_weight").get<double>(), fitted.support_weight) << name;
}

TEST(PairModel, CompiledWeightsAreTheFittedOnesInFixtures) {
  expect_fitted("translation_model.json", PairModel::translation());
  expect_fitted("same_story_model.json", PairModel::same_story());
  expect_fitted("index_translation_model.json", PairModel::index_translation());
}

TEST(PairModel, AWeakPairIsRejectedAndAStrongOneAccepted) {
  const auto& model = PairModel::translation();
  PairSignals weak;
  weak.raw = 0.05;
  weak.margin = 1.0;
  weak.coverage_low = 0.1;
  weak.coverage_high = 0.15;
  PairSignals strong = weak;
  strong.margin = 4.0;
  strong.mutual_best = true;
  strong.coverage_low = 0.8;
  strong.coverage_high = 0.9;
  EXPECT_LT(model.log_odds(weak), 0.0);
  EXPECT_GT(model.log_odds(strong), 0.0);
}

}  // namespace
}  // namespace neardup::detail

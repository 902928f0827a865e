// The whole pipeline on real text: the seed corpus and edited copies of it.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "neardup/pipeline.hpp"
#include "shingle/features.hpp"
#include "support/corpus.hpp"
#include "text/normalise.hpp"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

namespace neardup {
namespace {

using testing::find;
using testing::seeds;

std::set<std::tuple<std::string, std::string, Relation>> relations(const Analysis& analysis) {
  std::set<std::tuple<std::string, std::string, Relation>> result;
  for (const auto& pair : analysis.pairs) {
    auto a = analysis.documents[pair.a].id, b = analysis.documents[pair.b].id;
    if (a > b) std::swap(a, b);
    result.emplace(a, b, pair.relation);
  }
  return result;
}

std::string to_nfd(const std::string& text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  icu::UnicodeString decomposed = nfd->normalize(icu::UnicodeString::fromUTF8(text), status);
  std::string out;
  decomposed.toUTF8String(out);
  return out;
}

std::string with_gujarati_digits(std::string text) {
  static const char* digits[] = {"૦", "૧", "૨", "૩", "૪", "૫", "૬", "૭", "૮", "૯"};
  std::string out;
  for (char c : text) out += (c >= '0' && c <= '9') ? digits[c - '0'] : std::string(1, c);
  return out;
}

TEST(PipelineSeeds, FindsExactlyTheTranslationPair) {
  const Analysis analysis = analyse(seeds());
  ASSERT_EQ(analysis.pairs.size(), 1u);
  const Pair& pair = analysis.pairs.front();
  EXPECT_EQ(analysis.documents[pair.a].id, "001_05db9d16e02c2170");
  EXPECT_EQ(analysis.documents[pair.b].id, "004_df53f37349722e31");
  EXPECT_EQ(pair.relation, Relation::translation);
  EXPECT_EQ(analysis.info[pair.a].lang, "hin_Deva");
  EXPECT_EQ(analysis.info[pair.b].lang, "guj_Gujr");
  // The evidence is there to be shown: aligned sentences and shared names.
  EXPECT_GE(pair.evidence.sentences.size(), 3u);
  EXPECT_GT(pair.evidence.calibrated_score, 1.5);
  const auto& anchors = pair.evidence.anchors;
  EXPECT_NE(std::find(anchors.begin(), anchors.end(), "किर्बी"), anchors.end()) << "Kirby is shared";
}

TEST(PipelineSeeds, ClustersByStory) {
  const Analysis analysis = analyse(seeds());
  const auto clusters = cluster_stories(analysis);
  std::set<std::set<std::string>> got;
  for (const auto& cluster : clusters) {
    std::set<std::string> ids;
    for (auto member : cluster.members) ids.insert(analysis.documents[member].id.substr(0, 3));
    got.insert(ids);
  }
  const std::set<std::set<std::string>> expected = {{"000"}, {"001", "004"}, {"002"}, {"003"}};
  EXPECT_EQ(got, expected);
  for (const auto& cluster : clusters) {
    if (cluster.members.size() == 2) {
      EXPECT_EQ(cluster.langs, (std::vector<std::string>{"guj_Gujr", "hin_Deva"}));
    }
  }
}

TEST(PipelineSeeds, BoilerplateIsFoundAndDiscounted) {
  const Analysis analysis = analyse(seeds());
  const auto gujarati = std::find_if(analysis.documents.begin(), analysis.documents.end(),
                                     [](const Document& d) { return d.id.rfind("004", 0) == 0; }) - analysis.documents.begin();
  // spot_img (five times) and RELATED ARTICLES (also in 002) recur: site furniture.
  EXPECT_GE(analysis.info[gujarati].boilerplate_lines, 6u);
  EXPECT_EQ(analysis.info[gujarati].title.find("spot_img"), std::string::npos);
}

TEST(PipelineSeeds, AHeadlineKeptByTheVersionsOfOneStoryIsNotBoilerplate) {
  // Two copies of seed 001 under their own headers share its subheading (8 words) and long
  // lines; seed 002, another story, shares only the furniture line with them.
  const std::string story = find(seeds(), "001").text;
  const std::string headline = "उत्तर कोरिया और ईरान पर निर्भर हुआ रूस";
  const std::vector<std::string> texts = {"Follow us on Telegram\n" + story, "Follow us on Telegram\nBy our correspondent\n" + story,
                                          "Follow us on Telegram\n" + find(seeds(), "002").text};
  std::vector<std::vector<detail::NormalisedLine>> lines;
  for (const auto& text : texts) lines.push_back(detail::normalised_lines(text));
  const auto boilerplate = detail::find_boilerplate(lines);
  auto hash_of = [&](std::size_t document, std::string_view text) {
    for (const auto& line : lines[document])
      if (line.text == detail::normalise(text)) return line.hash;
    ADD_FAILURE() << "no line " << text;
    return std::uint64_t{0};
  };
  EXPECT_TRUE(boilerplate.contains(hash_of(0, "Follow us on Telegram")));
  EXPECT_FALSE(boilerplate.contains(hash_of(0, headline)));
}

TEST(PipelineSeeds, AStoryIsTitledByTheHeadlineItsVersionsShareButNotByFurniture) {
  // Two editions of seed 003 under one headline, the second with a word added to every line:
  // their long lines differ, so the corpus-wide detector takes the shared headline for
  // boilerplate. Seeds 000 and 002 open with one furniture line, two stories apart.
  const std::string headline = "Russia and North Korea sign a pact, officials say";
  const std::string furniture = "Follow us on Telegram for more news";
  std::string edited;
  std::istringstream lines(find(seeds(), "003").text);
  for (std::string line; std::getline(lines, line);) edited += line.empty() ? "\n" : line + " अपडेट\n";
  std::vector<Document> documents = {find(seeds(), "001"), find(seeds(), "004")};
  documents.push_back({"edition-a", headline + "\n" + find(seeds(), "003").text, {}});
  documents.push_back({"edition-b", headline + "\n" + edited, {}});
  documents.push_back({"furnished-000", furniture + "\n" + find(seeds(), "000").text, {}});
  documents.push_back({"furnished-002", furniture + "\n" + find(seeds(), "002").text, {}});

  const Analysis analysis = analyse(documents);
  ASSERT_NE(analysis.info[2].title, headline) << "the case needs the headline taken for boilerplate";
  const auto clusters = cluster_stories(analysis);
  bool editions_together = false;
  for (const auto& cluster : clusters) {
    EXPECT_NE(cluster.title, furniture);
    if (cluster.members == std::vector<std::uint32_t>{2, 3}) {
      editions_together = true;
      EXPECT_EQ(cluster.title, headline);
    }
  }
  EXPECT_TRUE(editions_together) << "the two editions are one story";
}

TEST(PipelineTitles, AHeadlineWithoutSpacesIsAPhraseAndAShortLabelIsNot) {
  // Chinese and Thai put no spaces between words: "國際新聞" (international news) is a section
  // label, as a two-word line is in English; the headline under it is the title.
  const std::string headline = "英國將向外國買家加徵印花稅";
  const std::string body = "英國首相梅伊今天宣布，外國買家在英國購置房產時將須付出更高的印花稅，額外的款項將用於協助無家可歸的人。";
  const std::string thai = "นายกรัฐมนตรีอังกฤษประกาศขึ้นภาษี";
  const Analysis analysis = analyse({{"zh", "國際新聞\n" + headline + "\n" + body, {}}, {"th", "ข่าว\n" + thai + "\nเนื้อหาข่าว " + body, {}}});
  EXPECT_EQ(analysis.info[0].title, headline);
  EXPECT_EQ(analysis.info[1].title, thai);
}

TEST(PipelineEdits, CopiesAreExactAndEditsAreNear) {
  std::vector<Document> documents = seeds();
  const Document original = find(documents, "001");
  auto copy = [&](std::string id, std::string text) {
    Document document = original;
    document.id = std::move(id);
    document.text = std::move(text);
    documents.push_back(document);
  };
  copy("exact", original.text);
  copy("nfd", to_nfd(original.text));
  copy("gujarati-digits", with_gujarati_digits(original.text));
  std::string edited = "Back to top button\n" + original.text;
  const std::size_t first_break = edited.find("। ", 300);
  const std::size_t second_break = edited.find("। ", first_break + 2);
  edited.erase(first_break + 2, second_break - first_break);  // one sentence dropped
  copy("edited", edited);

  const auto found = relations(analyse(documents));
  const std::string id = original.id;
  for (const std::string other : {"exact", "nfd", "gujarati-digits"})
    EXPECT_TRUE(found.count({id, other, Relation::exact_duplicate})) << other;
  EXPECT_TRUE(found.count({id, "edited", Relation::near_duplicate}));
  // The Gujarati translation is a translation of every copy.
  EXPECT_TRUE(found.count({"004_df53f37349722e31", "edited", Relation::translation}) ||
              found.count({"edited", "004_df53f37349722e31", Relation::translation}));
}

// A member of a duplicate group is shown its own sentences: an edited copy with a header and a
// sentence fewer quotes its own text, not its representative's at its representative's offsets.
TEST(PipelineEdits, EveryMemberOfALinkedGroupQuotesItsOwnSentences) {
  std::vector<Document> documents = seeds();
  const Document original = find(documents, "001");
  Document edited = original;
  edited.id = "edited";
  edited.text = "Back to top button\n" + original.text;
  const std::size_t first_break = edited.text.find("। ", 300);
  const std::size_t second_break = edited.text.find("। ", first_break + 2);
  edited.text.erase(first_break + 2, second_break - first_break);
  documents.push_back(edited);
  const Analysis analysis = analyse(documents);

  // The Gujarati side's spans, and the Hindi text each is aligned to, for one Hindi version.
  auto gujarati_to_hindi = [&](const std::string& hindi_id) {
    std::map<std::pair<std::size_t, std::size_t>, std::string> quoted;
    for (const Pair& pair : analysis.pairs) {
      const Document& a = analysis.documents[pair.a];
      const Document& b = analysis.documents[pair.b];
      if (pair.relation != Relation::translation) continue;
      const bool hindi_first = a.id == hindi_id && b.id.starts_with("004");
      if (!hindi_first && !(b.id == hindi_id && a.id.starts_with("004"))) continue;
      const Document& hindi = hindi_first ? a : b;
      for (const AlignedSentence& sentence : pair.evidence.sentences) {
        const Offsets& hindi_span = hindi_first ? sentence.a : sentence.b;
        const Offsets& gujarati_span = hindi_first ? sentence.b : sentence.a;
        EXPECT_LE(hindi_span.end, hindi.text.size());
        quoted[{gujarati_span.begin, gujarati_span.end}] =
            hindi.text.substr(hindi_span.begin, hindi_span.end - hindi_span.begin);
      }
    }
    return quoted;
  };
  const auto from_original = gujarati_to_hindi(original.id);
  const auto from_edited = gujarati_to_hindi("edited");
  ASSERT_GE(from_original.size(), 3u);
  ASSERT_GE(from_edited.size(), 3u);
  std::size_t shared = 0, same_text = 0;
  for (const auto& [span, text] : from_edited) {
    const auto other = from_original.find(span);
    if (other == from_original.end()) continue;
    ++shared;
    same_text += other->second == text;
  }
  EXPECT_GE(shared, 3u);
  EXPECT_GE(same_text + 1, shared) << "all but the sentence next to the dropped one quote the same Hindi";
}

TEST(PipelineEdits, SimHashCandidatesFindTheSameDuplicates) {
  std::vector<Document> documents = seeds();
  Document edited = find(documents, "002");
  edited.id = "edited";
  edited.text = "Related Articles\n" + edited.text + "\nएक नई पंक्ति।";
  documents.push_back(edited);
  PipelineOptions options;
  options.sketch = SketchKind::simhash;
  const auto with_simhash = relations(analyse(documents, options));
  EXPECT_EQ(with_simhash, relations(analyse(documents)));
  EXPECT_TRUE(with_simhash.count({"002_b08cd47993b18163", "edited", Relation::near_duplicate}));
}

TEST(PipelineProperties, ADocumentIsItsOwnDuplicate) {
  std::vector<Document> documents = seeds();
  for (const auto& seed : seeds()) {
    Document twin = seed;
    twin.id += "-twin";
    documents.push_back(twin);
  }
  const auto found = relations(analyse(documents));
  for (const auto& seed : seeds()) EXPECT_TRUE(found.count({seed.id, seed.id + "-twin", Relation::exact_duplicate})) << seed.id;
}

TEST(PipelineProperties, ResultsDoNotDependOnInputOrder) {
  std::vector<Document> documents = seeds();
  const auto forward = relations(analyse(documents));
  std::reverse(documents.begin(), documents.end());
  EXPECT_EQ(relations(analyse(documents)), forward);
}

TEST(PipelineDedup, EveryDocumentIsAccountedForAndEveryRemovalVerified) {
  std::vector<Document> documents = seeds();
  for (int copy = 0; copy < 3; ++copy)
    for (const auto& seed : seeds()) {
      Document twin = seed;
      twin.id += "-copy" + std::to_string(copy);
      if (copy == 2) twin.text += "\nएक और पंक्ति जो केवल इस प्रति में है।";
      documents.push_back(twin);
    }
  const Analysis analysis = analyse(documents);
  for (const KeepPolicy policy : {KeepPolicy::first, KeepPolicy::longest}) {
    const DedupResult result = deduplicate(analysis, policy);
    EXPECT_EQ(result.kept.size() + result.removed.size(), documents.size());
    EXPECT_EQ(result.kept.size(), 5u);
    std::set<std::uint32_t> kept(result.kept.begin(), result.kept.end());
    for (const auto& removal : result.removed) {
      EXPECT_TRUE(kept.count(removal.duplicate_of));
      const bool verified = std::any_of(analysis.pairs.begin(), analysis.pairs.end(), [&](const Pair& pair) {
        return pair.relation != Relation::translation &&
               std::minmax(pair.a, pair.b) == std::minmax(removal.removed, removal.duplicate_of);
      });
      EXPECT_TRUE(verified) << analysis.documents[removal.removed].id;
    }
  }
}

}  // namespace
}  // namespace neardup

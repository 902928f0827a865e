// neardup/report.hpp: the JSON Lines formats of the command's outputs. They are a contract
// (golden tests hold them):
//   pairs:    {"a":ID,"b":ID,"relation":"exact-duplicate"|"near-duplicate"|"translation","score":S,
//              "lang_a":L,"lang_b":L[,"evidence":{...}]}
//   clusters: {"cluster":N,"size":N,"members":[ID...],"langs":[L...],"representative":ID,"title":T}
//   removed:  {"id":ID,"duplicate_of":ID,"relation":R,"score":S}
//   kept:     the input document: {"id":ID,"text":T[,"lang":L],...other input fields}
#pragma once

#include <ostream>
#include <vector>

#include "neardup/pipeline.hpp"

namespace neardup {

void write_pairs(std::ostream& out, const Analysis& analysis);
void write_clusters(std::ostream& out, const Analysis& analysis, const std::vector<Cluster>& clusters);
void write_kept(std::ostream& out, const Analysis& analysis, const DedupResult& result);
void write_removed(std::ostream& out, const Analysis& analysis, const DedupResult& result);

}  // namespace neardup

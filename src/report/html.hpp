// The HTML report in the form a server hands out (report/serve.cpp): the page with the data of
// its first render, and every chunk of texts, evidence and input fields on its own, which the
// page fetches when a pair or cluster needs it, instead of holding them all.
#pragma once

#include <map>
#include <string>

#include "neardup/report.hpp"

namespace neardup::detail {

struct ServedReport {
  std::string page;                           // the HTML, without the chunks
  std::map<std::string, std::string> chunks;  // id (nd-docs-K, ...) -> gzip-compressed JSON
};

ServedReport served_report(const ReportData& data);

}  // namespace neardup::detail

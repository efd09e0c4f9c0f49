#include "core/csv.hpp"

namespace staffroom::csv {

Result<std::vector<Record>> parse(std::string_view text, std::size_t max_records) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<Record> out;
  std::size_t i = 0;
  int line = 1;
  while (i < text.size()) {
    // A blank line (or the last line break) is no record.
    if (text[i] == '\n' || text[i] == '\r') {
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++i;
      ++line;
      continue;
    }
    if (out.size() >= max_records) {
      return Error::validation("file", "has more than " + std::to_string(max_records) + " rows");
    }
    Record rec;
    rec.line = line;
    std::string fieldv;
    bool end_of_record = false;
    while (!end_of_record) {
      fieldv.clear();
      if (i < text.size() && text[i] == '"') {
        const int opened = line;
        ++i;
        for (;;) {
          if (i >= text.size()) {
            return Error::validation("line " + std::to_string(opened), "a quoted field is never closed");
          }
          const char ch = text[i++];
          if (ch == '"') {
            if (i < text.size() && text[i] == '"') {
              fieldv.push_back('"');
              ++i;
              continue;
            }
            break;
          }
          if (ch == '\n') ++line;
          fieldv.push_back(ch);
        }
        if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          return Error::validation("line " + std::to_string(line),
                                   "text after a closing quote; double a quote inside "
                                   "a quoted field (\"\")");
        }
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"') {
            return Error::validation("line " + std::to_string(line),
                                     "a quote inside an unquoted field; quote the whole field and double the quote");
          }
          fieldv.push_back(text[i++]);
        }
      }
      rec.fields.push_back(fieldv);
      if (i >= text.size()) {
        end_of_record = true;
      } else if (text[i] == ',') {
        ++i;
      } else {  // line break
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
        ++i;
        ++line;
        end_of_record = true;
      }
    }
    out.push_back(std::move(rec));
  }
  return out;
}

std::string field(std::string_view value) {
  std::string v;
  if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@')) {
    // Neutralize spreadsheet formulas, but keep plain negative numbers.
    bool number = value.size() > 1 && value[0] == '-';
    for (std::size_t k = 1; number && k < value.size(); ++k) {
      number = (value[k] >= '0' && value[k] <= '9') || value[k] == '.';
    }
    if (!number) v.push_back('\'');
  }
  v.append(value);
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string q = "\"";
  for (char ch : v) {
    if (ch == '"') q.push_back('"');
    q.push_back(ch);
  }
  q.push_back('"');
  return q;
}

void append_row(std::string& out, const std::vector<std::string>& values) {
  for (std::size_t k = 0; k < values.size(); ++k) {
    if (k) out.push_back(',');
    out += field(values[k]);
  }
  out += "\r\n";
}

}  // namespace staffroom::csv

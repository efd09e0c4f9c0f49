#include "credit/learning.hpp"

#include <cctype>

#include "activities/model.hpp"
#include "catalog/model.hpp"
#include "core/calendar.hpp"
#include "core/json.hpp"

namespace staffroom::credit {

std::string_view to_string(SupportKind k) {
  switch (k) {
    case SupportKind::Survey:
      return "survey";
    case SupportKind::Reflection:
      return "reflection";
    case SupportKind::Artifact:
      return "artifact";
  }
  return "reflection";
}

std::optional<SupportKind> parse_support_kind(std::string_view s) {
  if (s == "survey") return SupportKind::Survey;
  if (s == "reflection") return SupportKind::Reflection;
  if (s == "artifact") return SupportKind::Artifact;
  return std::nullopt;
}

int count_words(std::string_view text) {
  int words = 0;
  bool in_word = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    // Bytes of multi-byte UTF-8 characters are letters of some script.
    const bool letter = std::isalnum(c) || c >= 0x80;
    const bool joiner =
        (c == '\'' || c == '-') && in_word && i + 1 < text.size() &&
        (std::isalnum(static_cast<unsigned char>(text[i + 1])) || static_cast<unsigned char>(text[i + 1]) >= 0x80);
    if (letter || joiner) {
      if (!in_word) ++words;
      in_word = true;
    } else {
      in_word = false;
    }
  }
  return words;
}

std::vector<FieldError> check_self_report(const SelfReport& r, std::string_view today) {
  std::vector<FieldError> errors;
  if (r.title.empty())
    errors.push_back({"title", "is required: what was it, like \"#edchat on formative assessment\""});
  if (json::utf8_length(r.title) > 200) errors.push_back({"title", "must be at most 200 characters"});
  if (!activities::is_format(r.format)) {
    std::string list;
    for (auto f : activities::kFormats) list += (list.empty() ? "" : ", ") + std::string(f);
    errors.push_back({"format", "must be one of " + list});
  }
  const auto day = parse_date(r.learned_on);
  if (!day) {
    errors.push_back({"learned_on", "must be a date like 2012-08-14"});
  } else if (auto t = parse_date(today); t && *day > *t) {
    errors.push_back({"learned_on", "is in the future; log learning once it has happened"});
  }
  if (r.minutes <= 0 || r.minutes > kMaxSelfReportMinutes)
    errors.push_back({"minutes", "must be between 1 and 1440 (one day); log longer courses day by day"});
  if (!r.url.empty() && !catalog::is_web_url(r.url))
    errors.push_back({"url", "must be a web address starting with https:// or http://"});
  if (r.reflection.size() > kMaxReflectionChars) errors.push_back({"reflection", "must be at most 20000 characters"});
  return errors;
}

EpochMs learned_at(std::string_view learned_on) {
  const auto day = parse_date(learned_on).value_or(0);
  return (static_cast<EpochMs>(day) * 86400 + EpochMs{12} * 3600) * 1000;
}

Evidence evidence_of(const SelfReport& r) {
  Evidence e;
  e.id = {EvidenceKind::SelfReport, r.id};
  e.educator_id = r.user_id;
  e.at = learned_at(r.learned_on);
  e.minutes = r.minutes;
  e.format = r.format;
  e.words = r.reflection_words;
  e.attestation = r.attestation;
  e.attester_id = r.attester_id.value_or(0);
  return e;
}

Evidence evidence_of(const SupportingEvidence& s) {
  Evidence e;
  e.id = {s.kind == SupportKind::Survey       ? EvidenceKind::Survey
          : s.kind == SupportKind::Reflection ? EvidenceKind::Reflection
                                              : EvidenceKind::Artifact,
          s.id};
  e.educator_id = s.user_id;
  e.at = s.created_at;
  e.words = s.words;
  return e;
}

}  // namespace staffroom::credit

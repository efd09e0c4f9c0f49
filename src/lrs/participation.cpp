#include "lrs/participation.hpp"

#include <algorithm>
#include <array>

#include "core/json.hpp"

namespace staffroom::lrs {

std::optional<Taking> taking_of(std::string_view verb) {
  struct Known {
    std::string_view iri;
    Taking taking;
  };
  static constexpr std::array<Known, 12> kKnown = {{
      {"http://adlnet.gov/expapi/verbs/attended", Taking::Attended},
      {"http://adlnet.gov/expapi/verbs/completed", Taking::Completed},
      {"http://adlnet.gov/expapi/verbs/experienced", Taking::Experienced},
      {"http://adlnet.gov/expapi/verbs/passed", Taking::Passed},
      {"http://activitystrea.ms/join", Taking::Joined},
      {"http://activitystrea.ms/schema/1.0/join", Taking::Joined},
      {"https://w3id.org/xapi/adl/verbs/joined", Taking::Joined},
      {"http://activitystrea.ms/leave", Taking::Left},
      {"http://activitystrea.ms/schema/1.0/leave", Taking::Left},
      {"https://w3id.org/xapi/adl/verbs/left", Taking::Left},
      {"https://w3id.org/xapi/adl/verbs/attended", Taking::Attended},
      {"https://w3id.org/xapi/adl/verbs/completed", Taking::Completed},
  }};
  for (const auto& k : kKnown)
    if (k.iri == verb) return k.taking;
  return std::nullopt;
}

std::optional<std::int64_t> catalog_activity(std::string_view iri, std::string_view public_url) {
  std::string prefix = std::string(public_url);
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  prefix += "/activities/";
  if (!iri.starts_with(prefix)) return std::nullopt;
  std::string_view rest = iri.substr(prefix.size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.empty() || rest.size() > 18 || rest[0] == '0') return std::nullopt;
  std::int64_t id = 0;
  for (char c : rest) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + (c - '0');
  }
  return id;
}

std::string person_of(const std::string& key) {
  constexpr std::string_view kMbox = "mbox:mailto:";
  if (key.starts_with(kMbox)) return staffroom::json::lower_ascii(std::string_view(key).substr(kMbox.size()));
  return key;
}

Evidence evidence_for(const activities::Activity& a, Taking taking, std::optional<std::int64_t> duration_ms,
                      EpochMs timestamp, std::optional<EpochMs> joined_at) {
  Evidence e;
  const activities::Session* session = nullptr;
  constexpr EpochMs kEarly = 15LL * 60 * 1000;
  constexpr EpochMs kLate = 60LL * 60 * 1000;
  for (const auto& s : a.sessions)
    if (timestamp >= s.starts_at - kEarly && timestamp <= s.ends_at + kLate) session = &s;
  if (!session) {
    for (const auto& s : a.sessions)
      if (s.starts_at <= timestamp) session = &s;
  }
  if (!session && !a.sessions.empty()) session = &a.sessions.front();
  e.session_starts_at = session ? session->starts_at : a.first_start;
  const std::int64_t session_ms = session ? session->ends_at - session->starts_at : 0;

  std::int64_t ms = 0;
  if (taking == Taking::Left) {
    if (joined_at && *joined_at <= timestamp) ms = timestamp - *joined_at;
  } else if (duration_ms) {
    ms = *duration_ms;
  } else if (taking == Taking::Attended || taking == Taking::Completed || taking == Taking::Passed) {
    ms = a.self_paced() ? (taking == Taking::Attended ? 0 : std::int64_t{a.pd_minutes} * 60000) : session_ms;
  }
  if (!a.self_paced() && session_ms > 0) ms = std::min(ms, session_ms);
  e.minutes = static_cast<int>(std::max<std::int64_t>(0, ms) / 60000);
  return e;
}

}  // namespace staffroom::lrs

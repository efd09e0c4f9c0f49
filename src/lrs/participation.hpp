// From xAPI statements to participation evidence: which verbs count, which
// catalog activity a statement is about, which session it belongs to, and
// how many minutes it is worth. Pure rules, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "activities/model.hpp"
#include "lrs/statement.hpp"

namespace staffroom::lrs {

enum class Taking { Attended, Completed, Experienced, Passed, Joined, Left };

// The verbs that count, from the ADL and Activity Streams vocabularies:
// http://adlnet.gov/expapi/verbs/{attended,completed,experienced,passed},
// http://activitystrea.ms/{join,leave} (also under /schema/1.0/), and
// https://w3id.org/xapi/adl/verbs/{joined,left}.
std::optional<Taking> taking_of(std::string_view verb_iri);

// The catalog activity an IRI names: every activity publishes
// <public_url>/activities/<id>.
std::optional<std::int64_t> catalog_activity(std::string_view iri, std::string_view public_url);

// The email an identifier key names ("mbox:mailto:Ada@x.org" -> "ada@x.org"),
// or the key itself for other identifiers.
std::string person_of(const std::string& identifier_key);

struct Evidence {
  EpochMs session_starts_at = 0;
  int minutes = 0;
};

// What a statement about an approved activity is evidence of. Minutes:
// result.duration when given (capped at the session's length for scheduled
// activities); else a scheduled session's length for attended, completed and
// passed, the activity's professional-learning minutes for a self-paced one
// completed or passed; for left, the time since the matching joined; 0
// otherwise. The session is the one the timestamp falls in (from 15 minutes
// before its start to an hour after its end), else the latest that started
// before it, else the first.
Evidence evidence_for(const activities::Activity& a, Taking taking, std::optional<std::int64_t> duration_ms,
                      EpochMs timestamp, std::optional<EpochMs> joined_at);

}  // namespace staffroom::lrs

// What educators record themselves: informal learning (a social-media chat,
// a webinar elsewhere, a forum thread, an online course) and the supporting
// evidence a claim may need (a survey, a reflection, an artifact). Pure rules
// and value types; whether any of it counts is the policy's decision.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"
#include "credit/engine.hpp"

namespace staffroom::credit {

inline constexpr std::size_t kMaxReflectionChars = 20000;
inline constexpr std::int64_t kMaxSelfReportMinutes = std::int64_t{24} * 60;
inline constexpr std::size_t kMaxArtifactBytes = std::size_t{512} * 1024;

struct SelfReport {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string title, format, learned_on, url, reflection;
  std::int64_t minutes = 0;
  int reflection_words = 0;
  AttestationState attestation = AttestationState::None;
  std::string attester_email;
  std::optional<std::int64_t> attester_id;
  std::string attestation_note;
  std::optional<EpochMs> attested_at;
  EpochMs created_at = 0, updated_at = 0;
};

enum class SupportKind { Survey, Reflection, Artifact };
std::string_view to_string(SupportKind k);
std::optional<SupportKind> parse_support_kind(std::string_view s);

// Evidence added to support a claim. Content (an artifact's bytes) is kept
// apart and only read when someone opens it.
struct SupportingEvidence {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  SupportKind kind = SupportKind::Reflection;
  std::string title, body;  // survey: its answers as JSON text
  int words = 0;
  std::string file_name, content_type;
  std::int64_t size = 0;
  EpochMs created_at = 0;
};

// Words as a reader counts them: runs of letters or digits (apostrophes and
// hyphens inside a word keep it one word).
int count_words(std::string_view text);

// Every problem with an item's fields; learned_on must not be in the future
// of `today` (YYYY-MM-DD).
std::vector<FieldError> check_self_report(const SelfReport& r, std::string_view today);

// The instant the engine dates a self-reported day by: noon UTC of that
// day, which falls on the same calendar day in every zone from UTC-11 to
// UTC+11, so the day a person wrote is the day the policy sees.
EpochMs learned_at(std::string_view learned_on);

// The engine's view of an item.
Evidence evidence_of(const SelfReport& r);
Evidence evidence_of(const SupportingEvidence& e);

}  // namespace staffroom::credit

// xAPI documents (activity state, activity profiles, agent profiles): their
// keys, ETags, the If-Match / If-None-Match rules of each version, and how a
// POST merges JSON. Pure rules, no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/time.hpp"
#include "lrs/statement.hpp"

namespace staffroom::lrs {

enum class DocumentKind { State, ActivityProfile, AgentProfile };
std::string_view kind_name(DocumentKind k);      // "state", "activity_profile", "agent_profile"
std::string_view id_param_name(DocumentKind k);  // "stateId" or "profileId"

struct DocumentKey {
  DocumentKind kind = DocumentKind::State;
  std::string activity_id;   // state, activity profile
  std::string agent;         // state, agent profile: the agent's identifier key
  std::string registration;  // state, optional
  std::string document_id;   // "" addresses every document of the rest of the key
};

struct Document {
  std::string content_type;
  std::string content;
  std::string etag;  // quoted SHA-1 of the content
  EpochMs updated = 0;
};

std::string document_etag(std::string_view content);

struct Preconditions {
  std::optional<std::string> if_match, if_none_match;
};

// Whether a write (PUT, POST, DELETE) may go ahead given the document there
// now: a failed If-Match or If-None-Match is PreconditionFailed (412); a PUT
// over an existing document without either header is Conflict (409), except
// for state in 1.0.3, which may be overwritten blindly; a PUT creating a
// profile without either header is refused in 1.0.3 (400).
Status check_preconditions(const std::optional<Document>& existing, const Preconditions& p, bool is_put,
                           DocumentKind kind, Version version);

// The document a POST leaves: the posted one when there was none, else the
// two JSON objects merged one level deep (the posted keys win). Anything
// that cannot merge is BadRequest, and the stored document is unchanged.
Result<Document> merge_documents(const std::optional<Document>& existing, const std::string& content_type,
                                 const std::string& content);

}  // namespace staffroom::lrs
